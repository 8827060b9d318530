package com.royalcare.scheduler.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestClocks;
import com.royalcare.scheduler.support.SharedServer;
import com.royalcare.scheduler.web.Json;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/changes: the polling fallback, with the stream's semantics. */
class PollTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer(Map.of(), Slots.CLOCK);


    @Test
    void without_since_a_poll_answers_at_once_with_the_head() {
        long head = Slots.head(server.operator());
        JsonNode r = server.operator().get("/api/changes?wait=5").json();
        assertThat(r.get("seq").asLong()).isEqualTo(head);
        assertThat(r.get("events")).isEmpty();
        assertThat(r.get("reset").asBoolean()).isFalse();
    }

    @Test
    void a_poll_returns_the_changes_after_since_and_where_to_continue() {
        long start = Slots.head(server.operator());
        JsonNode a = server.operator().post("/api/sync/refresh", Map.of()).json();
        JsonNode b = server.operator().post("/api/sync/refresh", Map.of("date", "2030-04-04")).json();
        JsonNode r = server.operator().get("/api/changes?since=" + start).json();
        assertThat(r.get("events")).containsExactly(a, b);
        assertThat(r.get("seq").asLong()).isEqualTo(b.get("seq").asLong());
        assertThat(r.get("reset").asBoolean()).isFalse();
    }

    @Test
    void a_long_poll_waits_for_the_next_change_and_answers_as_soon_as_it_commits() throws Exception {
        long start = Slots.head(server.operator());
        CompletableFuture<HttpResponse<String>> waiting = EventStreamClient.HTTP.sendAsync(
                server.operator().request("/api/changes?wait=20&since=" + start).GET().build(), HttpResponse.BodyHandlers.ofString());
        awaitPollsWaiting(1);
        assertThat(waiting).isNotDone();
        long t0 = System.nanoTime();
        JsonNode written = server.operator().post("/api/sync/refresh", Map.of()).json();
        HttpResponse<String> r = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        long micros = (System.nanoTime() - t0) / 1000;
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("events")).containsExactly(written);
        assertThat(body.get("seq").asLong()).isEqualTo(written.get("seq").asLong());
        System.out.println("long poll: write call start to poll answer " + micros + " us");
    }

    @Test
    void a_long_poll_with_nothing_new_answers_with_no_events_when_the_wait_ends() {
        long start = Slots.head(server.operator());
        long t0 = System.nanoTime();
        JsonNode r = server.operator().get("/api/changes?wait=1&since=" + start).json();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(r.get("events")).isEmpty();
        assertThat(r.get("seq").asLong()).isEqualTo(start);
    }

    @Test
    void polling_round_after_round_while_writes_run_loses_and_doubles_nothing() throws Exception {
        long therapist = server.operator().createStaff("polled", "therapist");
        long start = Slots.head(server.operator());
        int writes = 120;
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writing = writer.submit(() -> {
            for (int i = 0; i < writes; i++) Slots.create(server.operator(), therapist);
        });
        List<Long> seen = new ArrayList<>();
        long since = start;
        int rounds = 0;
        while (since < start + writes) {
            JsonNode r = server.operator().get("/api/changes?wait=5&since=" + since).json();
            r.get("events").forEach(e -> seen.add(e.get("seq").asLong()));
            since = r.get("seq").asLong();
            rounds++;
        }
        writing.get();
        writer.shutdown();
        assertThat(rounds).isGreaterThan(1);
        assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(start + 1, start + writes).boxed().toList());
    }

    @Test
    void polls_apply_the_same_authorisation_and_filters_as_the_stream() {
        ApiClient anna = server.newStaff("anna-poll", "therapist");
        long bea = server.operator().createStaff("bea-poll", "therapist");
        long start = Slots.head(server.operator());
        Slots.create(server.operator(), bea);
        long annaSlot = Slots.create(anna, anna.me());
        Slots.refresh(server.operator());
        long head = Slots.head(server.operator());

        JsonNode mine = anna.get("/api/changes?since=" + start).json();
        assertThat(mine.get("events")).extracting(e -> e.get("type").asText()).containsExactly("availability_created", "global_refresh");
        assertThat(mine.get("events").get(0).get("data").get("id").asLong()).isEqualTo(annaSlot);
        assertThat(mine.get("seq").asLong()).isEqualTo(head);

        JsonNode filtered = server.operator().get("/api/changes?since=" + start + "&staffId=" + bea + "&types=availability_created").json();
        assertThat(filtered.get("events")).hasSize(1);
        assertThat(filtered.get("events").get(0).get("staffId").asLong()).isEqualTo(bea);
        assertThat(filtered.get("seq").asLong()).isEqualTo(head);

        assertThat(anna.get("/api/changes?staffId=" + bea).status()).isEqualTo(403);
        assertThat(server.anonymous().get("/api/changes").status()).isEqualTo(401);
    }

    @Test
    void a_wait_beyond_25_seconds_is_refused() {
        ApiClient.Response r = server.operator().get("/api/changes?since=0&wait=26");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("fields").has("wait")).isTrue();
    }

    @Test
    void waiting_polls_hold_no_threads() throws Exception {
        long start = Slots.head(server.operator());
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            polls.add(EventStreamClient.HTTP.sendAsync(server.operator().request("/api/changes?wait=20&since=" + start).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        awaitPollsWaiting(300);
        // a request thread may still be unwinding from handing its poll off; a held one stays for the whole wait
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> busy = threadsInsideRequestHandling();
        while (!busy.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            busy = threadsInsideRequestHandling();
        }
        assertThat(busy).as("threads held by 300 waiting polls").isEmpty();
        JsonNode written = server.operator().post("/api/sync/refresh", Map.of()).json();
        for (CompletableFuture<HttpResponse<String>> p : polls) {
            assertThat(Json.MAPPER.readTree(p.get(10, java.util.concurrent.TimeUnit.SECONDS).body()).get("events")).containsExactly(written);
        }
    }

    /** Server threads currently running Javalin or app code (the sync service's own few threads aside). */
    static List<String> threadsInsideRequestHandling() {
        List<String> busy = new ArrayList<>();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t == Thread.currentThread() || t.getName().startsWith("sync-") || t.getName().startsWith("test-")) return;
            for (StackTraceElement e : stack) {
                if (e.getClassName().startsWith("io.javalin.http") || e.getClassName().startsWith("com.royalcare")) {
                    busy.add(t.getName() + " at " + e);
                    return;
                }
            }
        });
        return busy;
    }

    private static void awaitPollsWaiting(int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.operator().metrics().sum("rcs_sync_polls_waiting") < n) {
            assertThat(System.nanoTime()).as("%d polls waiting", n).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
