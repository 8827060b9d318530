package com.royalcare.scheduler.sync;

import com.royalcare.scheduler.db.Database;
import com.royalcare.testkit.ApiClient;
import com.royalcare.testkit.Postgres;
import com.royalcare.scheduler.support.TestServer;
import com.royalcare.scheduler.web.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Several server processes on one PostgreSQL database share one change log. */
class MultiNodeTest {

    /** Safety reads far apart: within a test's time, changes from the other node can only arrive via NOTIFY. */
    private static Map<String, String> node(String url) {
        Map<String, String> env = new HashMap<>(Postgres.env(url));
        env.put("SYNC_LOG_POLL_MS", "600000");
        return env;
    }

    @Test
    void with_concurrent_writes_on_two_nodes_every_subscriber_on_either_receives_the_same_ordered_gap_free_sequence() throws Exception {
        String url = Postgres.newDatabase();
        try (TestServer a = TestServer.start(node(url)); TestServer b = TestServer.start(node(url))) {
            ApiClient opA = a.operator();
            ApiClient opB = b.operator();
            ApiClient therapistOnB = b.newStaff("mn-anna", "therapist");
            long anna = therapistOnB.me();
            long bea = opA.createStaff("mn-bea", "therapist");
            long start = Slots.head(opA);

            List<EventStreamClient> operators = List.of(
                    stream(a, opA), stream(a, opA), stream(b, opB), stream(b, opB));
            EventStreamClient annaStream = stream(b, therapistOnB);

            int perWriter = 40;
            List<ApiClient> writers = List.of(opA, opA, opB, opB);
            ExecutorService pool = Executors.newFixedThreadPool(writers.size());
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < writers.size(); w++) {
                ApiClient client = writers.get(w);
                int n = w;
                running.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        if (i % 4 == 3) Slots.refresh(client);
                        else Slots.create(client, (i + n) % 2 == 0 ? anna : bea);
                    }
                }));
            }
            for (Future<?> f : running) f.get(120, TimeUnit.SECONDS);
            pool.shutdown();
            long end = start + (long) perWriter * writers.size();
            assertThat(Slots.head(opB)).isEqualTo(end);

            List<String> reference = null;
            for (EventStreamClient s : operators) {
                List<EventStreamClient.Frame> got = s.eventsThrough(end);
                assertThat(got).extracting(EventStreamClient.Frame::id)
                        .containsExactlyElementsOf(LongStream.rangeClosed(start + 1, end).boxed().toList());
                List<String> data = got.stream().map(EventStreamClient.Frame::data).toList();
                if (reference == null) reference = data;
                assertThat(data).isEqualTo(reference);
                s.close();
            }
            // The therapist's stream carries exactly her share of the same sequence, in the same order.
            List<String> annaShare = reference.stream().filter(d -> {
                var j = json(d);
                return j.get("staffId").isNull() ? j.get("type").asText().equals("global_refresh") : j.get("staffId").asLong() == anna;
            }).toList();
            long lastForAnna = json(annaShare.get(annaShare.size() - 1)).get("seq").asLong();
            assertThat(annaStream.eventsThrough(lastForAnna)).extracting(EventStreamClient.Frame::data).isEqualTo(annaShare);
            annaStream.close();

            // Cross-node latency: a write through node A, seen on a stream served by node B.
            try (EventStreamClient onB = stream(b, opB)) {
                List<Long> micros = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    long t0 = System.nanoTime();
                    long seq = Slots.refresh(opA);
                    assertThat(onB.nextEvent().id()).isEqualTo(seq);
                    micros.add((System.nanoTime() - t0) / 1000);
                }
                Collections.sort(micros);
                System.out.printf("write on node A -> event on node B: p50 %d us, max %d us%n", micros.get(20), micros.get(39));
            }
            try (EventStreamClient onA = stream(a, opA)) {
                List<Long> micros = new ArrayList<>();
                List<Long> writeOnly = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    long t0 = System.nanoTime();
                    long seq = Slots.refresh(opA);
                    writeOnly.add((System.nanoTime() - t0) / 1000);
                    assertThat(onA.nextEvent().id()).isEqualTo(seq);
                    micros.add((System.nanoTime() - t0) / 1000);
                }
                Collections.sort(micros);
                Collections.sort(writeOnly);
                System.out.printf("write on node A -> event on node A: p50 %d us, max %d us (the write call alone: p50 %d us)%n",
                        micros.get(20), micros.get(39), writeOnly.get(20));
            }
        }
    }

    @Test
    void a_restarted_node_resumes_fan_out_without_gaps() {
        String url = Postgres.newDatabase();
        try (TestServer a = TestServer.start(node(url))) {
            ApiClient opA = a.operator();
            TestServer b = TestServer.start(node(url));
            ApiClient opB = b.operator();
            long start = Slots.head(opA);
            long last;
            try (EventStreamClient onB = stream(b, opB)) {
                long first = Slots.refresh(opA);
                last = onB.nextEvent().id();
                assertThat(last).isEqualTo(first);
                b.close(); // node B goes away: its streams end cleanly
                EventStreamClient.Frame bye = onB.nextEvent();
                assertThat(bye.event()).isEqualTo("closed");
                assertThat(bye.json().get("reason").asText()).isEqualTo("shutdown");
            }
            for (int i = 0; i < 10; i++) Slots.refresh(opA);
            try (TestServer b2 = TestServer.start(node(url));
                 EventStreamClient again = EventStreamClient.open(b2.baseUrl(), opB.token(), "/api/events", last)) {
                for (int i = 0; i < 5; i++) Slots.refresh(opA);
                long end = start + 16;
                assertThat(again.eventsThrough(end)).extracting(EventStreamClient.Frame::id)
                        .containsExactlyElementsOf(LongStream.rangeClosed(last + 1, end).boxed().toList());
            }
        }
    }

    @Test
    void the_listener_reconnects_when_its_connection_is_killed() {
        String url = Postgres.newDatabase();
        try (TestServer a = TestServer.start(node(url)); TestServer b = TestServer.start(node(url))) {
            ApiClient opA = a.operator();
            Database db = a.app().services().db();
            List<Integer> listeners = listenerPids(db);
            assertThat(listeners).hasSize(2);
            db.withHandle(h -> h.createQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN (<pids>)")
                    .bindList("pids", listeners).mapTo(Boolean.class).list());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (listenerPids(db).stream().filter(p -> !listeners.contains(p)).count() < 2) {
                assertThat(System.nanoTime()).as("both listeners reconnected").isLessThan(deadline);
                Thread.onSpinWait();
            }
            try (EventStreamClient onB = stream(b, b.operator())) {
                long seq = Slots.refresh(opA);
                assertThat(onB.nextEvent().id()).isEqualTo(seq);
            }
        }
    }

    @Test
    void a_change_that_wakes_no_one_still_arrives_by_the_periodic_read() {
        String url = Postgres.newDatabase();
        Map<String, String> env = new HashMap<>(Postgres.env(url));
        env.put("SYNC_LOG_POLL_MS", "200");
        try (TestServer a = TestServer.start(env); TestServer b = TestServer.start(env)) {
            try (EventStreamClient onA = stream(a, a.operator()); EventStreamClient onB = stream(b, b.operator())) {
                // Appended without NOTIFY and without the after-commit callback: no node is told.
                ChangeLog silent = new ChangeLog(c -> { }, false);
                Change c = a.app().services().db().write(h -> silent.append(h,
                        new NewChange("global_refresh", null, Audience.everyone(), List.of(), Json.MAPPER.createObjectNode(), null)));
                assertThat(onA.nextEvent().id()).isEqualTo(c.seq());
                assertThat(onB.nextEvent().id()).isEqualTo(c.seq());
            }
        }
    }

    private static EventStreamClient stream(TestServer server, ApiClient as) {
        EventStreamClient c = EventStreamClient.open(server.baseUrl(), as.token(), "/api/events", null);
        assertThat(c.status()).isEqualTo(200);
        c.next();
        return c;
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Integer> listenerPids(Database db) {
        return db.withHandle(h -> h.createQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                + "AND query = 'LISTEN " + ChangeLog.CHANNEL + "'").mapTo(Integer.class).list());
    }
}
