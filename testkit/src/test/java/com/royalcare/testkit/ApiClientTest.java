package com.royalcare.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a tiny JDK HTTP server that records what it got and answers what the path asks for. */
class ApiClientTest {

    /** What the server received: method, path with query, headers of interest, body. */
    record Seen(String method, String uri, String authorization, String contentType, String ifMatch, String body) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(x.getRequestMethod(), x.getRequestURI().toString(), x.getRequestHeaders().getFirst("Authorization"),
                x.getRequestHeaders().getFirst("Content-Type"), x.getRequestHeaders().getFirst("If-Match"), body));
        String path = x.getRequestURI().getPath();
        switch (path) {
            case "/api/auth/login" -> {
                if (body.contains("\"password\":\"right\"")) answer(x, 200, "{\"token\":\"t0k3n\"}");
                else answer(x, 401, "{\"error\":{\"code\":\"BAD_CREDENTIALS\",\"message\":\"no\"}}");
            }
            case "/api/staff" -> answer(x, 201, "{\"id\":42}");
            case "/api/me" -> answer(x, 200, "{\"id\":7,\"username\":\"op\"}");
            case "/api/sync/head" -> answer(x, 200, "{\"seq\":1234}");
            case "/metrics" -> answer(x, 200, "# TYPE rcs_sync_streams_open gauge\nrcs_sync_streams_open 2.0\n");
            case "/text" -> answer(x, 200, "not json");
            case "/empty" -> answer(x, 204, null);
            default -> {
                x.getResponseHeaders().add("ETag", "\"5\"");
                answer(x, 200, "{\"echo\":" + (body.isEmpty() ? "null" : body) + "}");
            }
        }
    }

    private static void answer(HttpExchange x, int status, String json) throws IOException {
        byte[] bytes = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, json == null ? -1 : bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @Test
    void signs_in_and_sends_the_bearer_token_and_json_bodies() {
        ApiClient c = ApiClient.signIn(base, "op", "right");
        assertThat(c.token()).isEqualTo("t0k3n");

        ApiClient.Response r = c.post("/echo", Map.of("date", LocalDate.of(2030, 3, 12), "n", 1));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.ok()).isTrue();
        assertThat(r.header("ETag")).isEqualTo("\"5\"");
        assertThat(r.json().get("echo").get("date").asText()).as("java.time as ISO text").isEqualTo("2030-03-12");
        Seen last = seen.get(seen.size() - 1);
        assertThat(last.authorization()).isEqualTo("Bearer t0k3n");
        assertThat(last.contentType()).isEqualTo("application/json");
        assertThat(seen.get(0).authorization()).as("signing in is anonymous").isNull();
    }

    @Test
    void a_failed_sign_in_says_why_and_error_codes_are_read() {
        assertThatThrownBy(() -> ApiClient.signIn(base, "op", "wrong"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sign-in as op failed: 401")
                .hasMessageContaining("BAD_CREDENTIALS");
        ApiClient.Response r = new ApiClient(base, null).post("/api/auth/login", Map.of("username", "op", "password", "x"));
        assertThat(r.errorCode()).isEqualTo("BAD_CREDENTIALS");
        assertThat(r.ok()).isFalse();
    }

    @Test
    void methods_if_match_and_raw_bodies_reach_the_server_as_given() {
        ApiClient c = new ApiClient(base, "abc");

        c.put("/p/1", Map.of("a", 1), "\"3\"");
        c.patch("/p/1", "{\"b\":2}", null);
        c.delete("/p/1", "\"4\"");
        c.raw("POST", "/p", "a=b".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/x-www-form-urlencoded"));

        assertThat(seen).extracting(Seen::method).containsExactly("PUT", "PATCH", "DELETE", "POST");
        assertThat(seen).extracting(Seen::ifMatch).containsExactly("\"3\"", null, "\"4\"", null);
        assertThat(seen).extracting(Seen::body).containsExactly("{\"a\":1}", "{\"b\":2}", "", "a=b");
        assertThat(seen.get(3).contentType()).as("raw headers replace the default").isEqualTo("application/x-www-form-urlencoded");
    }

    @Test
    void json_is_null_node_for_empty_or_non_json_bodies() {
        ApiClient c = new ApiClient(base, null);

        assertThat(c.get("/text").json().isNull()).isTrue();
        assertThat(c.get("/text").text()).isEqualTo("not json");
        assertThat(c.get("/empty").json().isNull()).isTrue();
        assertThat(c.get("/empty").errorCode()).isNull();
    }

    @Test
    void the_servers_basics_staff_me_head_and_metrics() {
        ApiClient c = new ApiClient(base, "abc");

        assertThat(c.createStaff("anna", "therapist")).isEqualTo(42);
        assertThat(seen.get(0).body()).contains("\"username\":\"anna\"", "\"role\":\"therapist\"", "\"name\":\"Test anna\"",
                "\"password\":\"" + ApiClient.passwordOf("anna") + "\"");
        assertThat(c.me()).isEqualTo(7);
        assertThat(c.head()).isEqualTo(1234);
        assertThat(c.metrics().value("rcs_sync_streams_open")).isEqualTo(2.0);
    }

    @Test
    void absolute_urls_go_where_they_say_and_tokens_can_change_per_copy() {
        ApiClient nowhere = new ApiClient(ApiClient.newHttpClient(null), null, null, Duration.ofSeconds(5));

        ApiClient.Outcome o = nowhere.withToken("xyz").attempt("POST", base + "/api/x?y=1", Map.of("k", "v"), Map.of("If-Match", "\"9\""));

        assertThat(o).isInstanceOf(ApiClient.Response.class);
        assertThat(((ApiClient.Response) o).status()).isEqualTo(200);
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.uri()).isEqualTo("/api/x?y=1");
            assertThat(s.authorization()).isEqualTo("Bearer xyz");
            assertThat(s.ifMatch()).isEqualTo("\"9\"");
        });
        assertThatThrownBy(() -> nowhere.get("/relative")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_refused_connection_is_not_sent_and_no_exception_escapes_an_attempt() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ApiClient c = new ApiClient("http://127.0.0.1:" + closedPort, null);

        ApiClient.Outcome o = c.attempt("GET", "/api/me", null, Map.of());

        assertThat(o).isInstanceOf(ApiClient.NotSent.class);
        assertThat(ApiClient.describe(o)).startsWith("not sent");
        assertThat(ApiClient.outcome(null, c.getAsync("/api/me", Duration.ofSeconds(5)).handle((r, e) -> e).get()))
                .isInstanceOf(ApiClient.NotSent.class);
        assertThatThrownBy(() -> c.get("/api/me")).isInstanceOf(java.io.UncheckedIOException.class);
        assertThatThrownBy(() -> c.getOk("/api/me")).hasMessageContaining("GET /api/me failed: not sent");
    }

    @Test
    void an_answer_that_never_comes_is_lost() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.createContext("/hang", x -> {
            try {
                release.await(10, TimeUnit.SECONDS); // holds the answer past the client's timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
        });
        ApiClient c = new ApiClient(base, null).withTimeout(Duration.ofMillis(300));

        try {
            assertThat(c.attempt("GET", "/hang", null, Map.of())).isInstanceOf(ApiClient.Lost.class);
        } finally {
            release.countDown();
        }
    }
}
