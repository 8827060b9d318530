package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.support.MutableClock;
import com.royalcare.scheduler.support.TestServer;
import com.royalcare.testkit.ApiClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Sessions end when idle (no request, no open stream) as well as at their absolute limit, and say why they ended. */
class SessionLifetimeTest {

    private static final Duration IDLE = Duration.ofMinutes(480);

    @Test
    void the_idle_period_is_eight_hours_unless_configured() {
        assertThat(com.royalcare.scheduler.config.Config.fromMap(Map.of()).auth().sessionIdle()).isEqualTo(IDLE);
        assertThat(com.royalcare.scheduler.config.Config.fromMap(Map.of("SESSION_IDLE_MINUTES", "30")).auth().sessionIdle())
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void a_session_with_no_request_for_the_idle_period_ends_with_session_expired() {
        MutableClock clock = new MutableClock();
        Duration idle = Duration.ofMinutes(60); // short, so the test stays inside the 12-hour lifetime
        try (TestServer own = TestServer.start(Map.of("SESSION_IDLE_MINUTES", "60"), clock)) {
            ApiClient client = own.operator();
            clock.advance(idle.minusSeconds(1));
            assertThat(client.get("/api/me").status()).isEqualTo(200); // used: the idle period starts again
            clock.advance(idle.minusSeconds(1));
            assertThat(client.get("/api/me").status()).isEqualTo(200);
            clock.advance(idle);
            ApiClient.Response r = client.get("/api/me");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.errorCode()).isEqualTo("SESSION_EXPIRED");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        }
    }

    @Test
    void requests_record_the_session_as_seen_at_most_once_a_minute() {
        MutableClock clock = new MutableClock();
        try (TestServer own = TestServer.start(Map.of(), clock)) {
            ApiClient client = own.operator();
            Instant first = lastSeen(own, client);
            clock.advance(Duration.ofSeconds(30));
            for (int i = 0; i < 5; i++) assertThat(client.get("/api/me").status()).isEqualTo(200);
            assertThat(lastSeen(own, client)).as("no write within the minute").isEqualTo(first);
            clock.advance(Duration.ofSeconds(31));
            client.get("/api/me");
            assertThat(lastSeen(own, client)).isAfter(first);
        }
    }

    @Test
    void an_open_event_stream_keeps_its_session_from_going_idle() throws Exception {
        MutableClock clock = new MutableClock();
        try (TestServer own = TestServer.start(Map.of("SYNC_HEARTBEAT_MS", "200"), clock)) {
            ApiClient watching = own.operator();
            ApiClient idle = own.operator();
            try (Lines stream = Lines.open(own.baseUrl() + "/api/events", watching.token())) {
                stream.awaitLine(l -> l.startsWith("event: hello"));
                clock.advance(IDLE.minusMinutes(10));
                Instant before = lastSeen(own, watching);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!lastSeen(own, watching).isAfter(before)) { // the stream's session check records it as seen
                    assertThat(System.nanoTime()).as("the stream's session was never recorded as seen").isLessThan(deadline);
                    stream.awaitLine(l -> l.startsWith(":")); // a heartbeat comment: one more round went by
                }
                clock.advance(Duration.ofMinutes(20)); // 490 minutes since either made a request
                assertThat(watching.get("/api/me").status()).isEqualTo(200);
                assertThat(idle.get("/api/me").errorCode()).isEqualTo("SESSION_EXPIRED");
            }
        }
    }

    @Test
    void the_cookie_is_secure_when_the_public_url_is_https_or_cookie_secure_is_set() {
        for (Map<String, String> env : java.util.List.of(Map.of("PUBLIC_URL", "https://schedule.example.com"),
                Map.of("COOKIE_SECURE", "true"))) {
            try (TestServer own = TestServer.start(env)) {
                ApiClient.Response r = own.anonymous().post("/api/auth/login", Map.of("username", "operator",
                        "password", TestServer.OPERATOR_PASSWORD));
                assertThat(r.header("Set-Cookie")).as(env.toString()).containsIgnoringCase("; Secure")
                        .containsIgnoringCase("HttpOnly");
            }
        }
    }

    @Test
    void a_session_without_a_token_or_with_an_unknown_one_is_unauthenticated() {
        try (TestServer own = TestServer.start()) {
            assertThat(own.anonymous().get("/api/me").errorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(new ApiClient(own.baseUrl(), "never-issued").get("/api/me").errorCode()).isEqualTo("UNAUTHENTICATED");
            ApiClient operator = own.operator();
            long id = operator.createStaff("reset-me", "therapist");
            ApiClient therapist = ApiClient.signIn(own.baseUrl(), "reset-me", ApiClient.passwordOf("reset-me"));
            operator.patch("/api/staff/" + id, Map.of("password", "a-fresh-pass-1"), null);
            ApiClient.Response r = therapist.get("/api/me");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.errorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(r.json().get("error").get("message").asText()).contains("password was changed");
        }
    }

    private static Instant lastSeen(TestServer server, ApiClient client) {
        String hash = SessionStore.hash(client.token());
        return Instant.parse(server.app().services().db().read(h -> h.createQuery("SELECT last_seen_at FROM sessions WHERE token_hash = :t")
                .bind("t", hash).mapTo(String.class).one()));
    }

    /** An event stream read line by line. */
    static final class Lines implements AutoCloseable {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Stream<String> body;

        private Lines(Stream<String> body) {
            this.body = body;
            Thread reader = new Thread(() -> {
                try {
                    Iterator<String> it = body.iterator();
                    while (it.hasNext()) lines.add(it.next());
                } catch (UncheckedIOException e) {
                    // closed
                }
                lines.add("\u0000end");
            }, "test-stream-lines");
            reader.setDaemon(true);
            reader.start();
        }

        static Lines open(String url, String token) {
            try {
                HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                        HttpResponse.BodyHandlers.ofLines());
                assertThat(r.statusCode()).isEqualTo(200);
                return new Lines(r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Waits (at most 10 s) for a line matching {@code wanted}; returns it ("\0end" if the stream ended first). */
        String awaitLine(java.util.function.Predicate<String> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (l == null) throw new AssertionError("no such line within 10 s");
                if (wanted.test(l) || l.equals("\u0000end")) return l;
            }
        }

        @Override
        public void close() {
            body.close();
        }
    }
}
