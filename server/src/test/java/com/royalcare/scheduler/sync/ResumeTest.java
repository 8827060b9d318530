package com.royalcare.scheduler.sync;

import com.royalcare.testkit.PrometheusScrape;
import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Resuming a stream: nothing lost, nothing doubled, and a reset (never a silent gap) when history is gone. */
class ResumeTest {

    /** A small ring, so some resumes are served from memory and others from the database. */
    private static final Map<String, String> SMALL_RING = Map.of("SYNC_RING_SIZE", "8");

    @Test
    void resume_via_last_event_id_over_many_disconnects_loses_and_doubles_nothing() {
        resumeOverManyDisconnects(true);
    }

    @Test
    void resume_via_since_over_many_disconnects_loses_and_doubles_nothing() {
        resumeOverManyDisconnects(false);
    }

    private void resumeOverManyDisconnects(boolean viaHeader) {
        try (TestServer server = TestServer.start(SMALL_RING)) {
            ApiClient operator = server.operator();
            long therapist = operator.createStaff("resumer", "therapist");
            long start = Slots.head(operator);
            int writes = 240;
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<?> writing = writer.submit(() -> {
                for (int i = 0; i < writes; i++) {
                    if (i % 3 == 2) Slots.refresh(operator, Map.of("staffId", therapist));
                    else Slots.create(operator, therapist);
                }
            });
            Random random = new Random(42);
            List<Long> seen = new ArrayList<>();
            long last = start;
            int connections = 0;
            while (last < start + writes) {
                String query = viaHeader ? "" : "?since=" + last;
                try (EventStreamClient c = EventStreamClient.open(server.baseUrl(), operator.token(), "/api/events" + query,
                        viaHeader ? last : null)) {
                    connections++;
                    int take = 1 + random.nextInt(7);
                    for (int i = 0; i < take && last < start + writes; i++) {
                        EventStreamClient.Frame f = c.nextEvent();
                        seen.add(f.id());
                        last = f.id();
                    }
                } // a forced disconnect, while the writer keeps going
            }
            assertThat(writing).succeedsWithin(java.time.Duration.ofSeconds(60));
            writer.shutdown();
            assertThat(connections).isGreaterThan(40);
            assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(start + 1, start + writes).boxed().toList());
        }
    }

    @Test
    void the_last_event_id_header_wins_over_the_since_of_the_first_url() {
        try (TestServer server = TestServer.start()) {
            ApiClient operator = server.operator();
            long first = Slots.refresh(operator);
            long second = Slots.refresh(operator);
            // An EventSource reconnecting keeps its original URL (?since=0) and adds Last-Event-ID itself.
            try (EventStreamClient c = EventStreamClient.open(server.baseUrl(), operator.token(), "/api/events?since=0", first)) {
                assertThat(c.nextEvent().id()).isEqualTo(second);
            }
        }
    }

    @Test
    void a_resume_older_than_memory_is_replayed_from_the_database_also_after_a_restart() {
        TestServer server = TestServer.start(SMALL_RING);
        ApiClient operator = server.operator();
        long start = Slots.head(operator);
        for (int i = 0; i < 30; i++) Slots.refresh(operator);
        long head = Slots.head(operator);
        try (EventStreamClient c = EventStreamClient.open(server.baseUrl(), operator.token(), "/api/events?since=" + start, null)) {
            assertThat(c.eventsThrough(head)).extracting(EventStreamClient.Frame::id)
                    .containsExactlyElementsOf(LongStream.rangeClosed(start + 1, head).boxed().toList());
        }
        String metrics = operator.get("/metrics").text();
        assertThat(PrometheusScrape.parse(metrics).sum("rcs_sync_resumes_total")).isGreaterThanOrEqualTo(1);
        assertThat(PrometheusScrape.parse(metrics).sum("rcs_sync_resets_total")).isZero();
        server.close();

        try (TestServer restarted = TestServer.restart(server.dataDir(), 0, SMALL_RING)) {
            ApiClient op = restarted.operator();
            try (EventStreamClient c = EventStreamClient.open(restarted.baseUrl(), op.token(), "/api/events", start + 10)) {
                long next = Slots.refresh(op);
                assertThat(next).isEqualTo(head + 1);
                assertThat(c.eventsThrough(next)).extracting(EventStreamClient.Frame::id)
                        .containsExactlyElementsOf(LongStream.rangeClosed(start + 11, next).boxed().toList());
            }
        }
    }

    @Test
    void a_therapist_resuming_older_than_memory_gets_only_their_changes_and_moves_past_the_rest() {
        try (TestServer server = TestServer.start(SMALL_RING)) {
            ApiClient operator = server.operator();
            ApiClient therapist = server.newStaff("indexed", "therapist");
            long me = therapist.me();
            long other = operator.createStaff("someone-else", "therapist");
            long start = Slots.head(operator);
            List<Long> mine = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                if (i % 10 == 4) mine.add(Slots.create(operator, me));
                else Slots.create(operator, other);
            }
            long head = Slots.head(operator);
            try (EventStreamClient c = EventStreamClient.open(server.baseUrl(), therapist.token(), "/api/events?since=" + start, null)) {
                long next = Slots.refresh(operator); // for everyone: arrives once everything before it was sent
                List<EventStreamClient.Frame> got = c.eventsThrough(next);
                assertThat(got).extracting(f -> f.json().get("staffId").isNull() ? 0L : f.json().get("staffId").asLong())
                        .containsExactly(me, me, me, 0L);
                assertThat(got.get(got.size() - 1).id()).isEqualTo(head + 1);
            }
            // pruned below the resume point: a reset for the therapist too, from the indexed read
            ChangeLog log = server.app().services().changeLog();
            server.app().services().db().write(h -> log.prune(h, Instant.now().plusSeconds(60), 3));
            try (EventStreamClient c = EventStreamClient.open(server.baseUrl(), therapist.token(), "/api/events?since=" + start, null)) {
                assertThat(c.nextEvent().event()).isEqualTo("reset");
            }
        }
    }

    @Test
    void a_resume_older_than_the_kept_history_gets_exactly_one_reset_then_live_events() {
        try (TestServer server = TestServer.start(SMALL_RING)) {
            ApiClient operator = server.operator();
            long start = Slots.head(operator);
            for (int i = 0; i < 30; i++) Slots.refresh(operator);
            long head = Slots.head(operator);
            ChangeLog log = server.app().services().changeLog();
            int pruned = server.app().services().db().write(h -> log.prune(h, Instant.now().plusSeconds(60), 5));
            assertThat(pruned).isEqualTo((int) head - 5);

            try (EventStreamClient c = EventStreamClient.open(server.baseUrl(), operator.token(), "/api/events?since=" + start, null)) {
                EventStreamClient.Frame reset = c.nextEvent();
                assertThat(reset.event()).isEqualTo("reset");
                assertThat(reset.json().get("seq").asLong()).isEqualTo(head);
                assertThat(reset.id()).isEqualTo(head);
                long next = Slots.refresh(operator);
                EventStreamClient.Frame live = c.nextEvent();
                assertThat(live.event()).isEqualTo("global_refresh");
                assertThat(live.id()).isEqualTo(next);
            }
            // Still inside the kept history: no reset.
            try (EventStreamClient c = EventStreamClient.open(server.baseUrl(), operator.token(), "/api/events", head - 3)) {
                assertThat(c.nextEvent().id()).isEqualTo(head - 2);
            }
            JsonNode poll = operator.get("/api/changes?since=" + start).json();
            assertThat(poll.get("reset").asBoolean()).isTrue();
            assertThat(poll.get("events")).isEmpty();
            assertThat(poll.get("seq").asLong()).isEqualTo(head + 1);
            assertThat(operator.metrics().sum("rcs_sync_resets_total")).isEqualTo(2);
        }
    }

    @Test
    void pruning_drops_changes_older_than_the_retention_window_but_keeps_the_minimum() {
        try (TestServer server = TestServer.start(Map.of("HISTORY_RETENTION_DAYS", "7", "HISTORY_MIN_CHANGES", "5"))) {
            ApiClient operator = server.operator();
            for (int i = 0; i < 20; i++) Slots.refresh(operator);
            long head = Slots.head(operator);
            var db = server.app().services().db();
            SyncService sync = server.app().services().sync();
            assertThat(sync.pruneHistory()).as("everything is younger than 7 days").isZero();
            // Age the first 12 changes by 8 days (stored times are fixed-width UTC text).
            String old = com.royalcare.scheduler.db.Timestamps.format(Instant.now().minus(java.time.Duration.ofDays(8)));
            db.write(h -> h.createUpdate("UPDATE change_log SET at = :old WHERE seq <= 12").bind("old", old).execute());
            assertThat(sync.pruneHistory()).isEqualTo(12);
            ChangeLog log = server.app().services().changeLog();
            assertThat(db.read(log::oldestKept)).isEqualTo(13);
            // Old but among the newest five: kept.
            db.write(h -> h.createUpdate("UPDATE change_log SET at = :old").bind("old", old).execute());
            assertThat(sync.pruneHistory()).isEqualTo((int) head - 12 - 5);
            assertThat(db.read(log::oldestKept)).isEqualTo(head - 4);
        }
    }

    @Test
    void a_resume_point_the_log_never_had_gets_a_reset() {
        try (TestServer server = TestServer.start()) {
            ApiClient operator = server.operator();
            long head = Slots.head(operator);
            try (EventStreamClient c = EventStreamClient.open(server.baseUrl(), operator.token(), "/api/events", head + 1000)) {
                EventStreamClient.Frame reset = c.nextEvent();
                assertThat(reset.event()).isEqualTo("reset");
                assertThat(reset.json().get("seq").asLong()).isEqualTo(head);
            }
        }
    }

    @Test
    void a_snapshot_and_a_stream_from_its_seq_miss_nothing_and_double_nothing_while_writes_race() throws Exception {
        try (TestServer server = TestServer.start(SMALL_RING)) {
            ApiClient operator = server.operator();
            ApiClient therapist = server.newStaff("racer", "therapist");
            long staffId = therapist.me();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<?> writing = writer.submit(() -> {
                while (!stop.get()) Slots.create(operator, staffId);
            });
            for (int round = 0; round < 5; round++) {
                JsonNode snapshot = therapist.get("/api/availability").json();
                long seq = snapshot.get("seq").asLong();
                Set<Long> ids = new HashSet<>();
                snapshot.get("items").forEach(s -> ids.add(s.get("id").asLong()));
                try (EventStreamClient c = EventStreamClient.open(server.baseUrl(), therapist.token(), "/api/events?since=" + seq, null)) {
                    long last = seq;
                    for (int i = 0; i < 5; i++) {
                        EventStreamClient.Frame f = c.nextEvent();
                        assertThat(f.id()).isGreaterThan(last);
                        last = f.id();
                        assertThat(ids.add(f.json().get("data").get("id").asLong())).as("slot seen twice").isTrue();
                    }
                    // Pause the writer, catch up to the head, and compare with a fresh snapshot.
                    stop.set(true);
                    writing.get(30, TimeUnit.SECONDS);
                    long head = Slots.head(operator);
                    if (last < head) {
                        for (EventStreamClient.Frame f : c.eventsThrough(head)) {
                            assertThat(ids.add(f.json().get("data").get("id").asLong())).as("slot seen twice").isTrue();
                        }
                    }
                    Set<Long> truth = new HashSet<>();
                    therapist.get("/api/availability").json().get("items").forEach(s -> truth.add(s.get("id").asLong()));
                    assertThat(ids).isEqualTo(truth);
                }
                stop.set(false);
                writing = writer.submit(() -> {
                    while (!stop.get()) Slots.create(operator, staffId);
                });
            }
            stop.set(true);
            writing.get(30, TimeUnit.SECONDS);
            writer.shutdown();
        }
    }
}
