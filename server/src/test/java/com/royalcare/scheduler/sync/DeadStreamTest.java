package com.royalcare.scheduler.sync;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import com.royalcare.testkit.FreezableRelay;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that vanishes without a FIN or RST (the relay between it and the server freezes): the
 * server ends its stream once writes to it stall, instead of holding it until the kernel gives up
 * minutes later; the client resumes with its last id and gets every change made meanwhile.
 */
class DeadStreamTest {

    private static final long HEARTBEAT_MS = 500;

    @Test
    void a_frozen_client_is_closed_by_the_server_and_resuming_shows_every_change_made_meanwhile() throws Exception {
        try (TestServer server = TestServer.start(Map.of("SYNC_HEARTBEAT_MS", Long.toString(HEARTBEAT_MS), "SYNC_SEND_BUFFER", "4096"));
             FreezableRelay relay = new FreezableRelay("127.0.0.1", server.port())) {
            SyncService sync = server.app().services().sync();
            ApiClient op = server.operator();
            long anna = op.createStaff("frozen-anna", "therapist");
            long start = Slots.head(op);

            EventStreamClient stream = EventStreamClient.open(relay.baseUrl(), op.token(), "/api/events?since=" + start, null);
            assertThat(stream.status()).isEqualTo(200);
            stream.next(); // the greeting came through the relay
            assertThat(stream.hello().json().get("heartbeatMs").asLong()).isEqualTo(HEARTBEAT_MS);
            assertThat(sync.openStreams()).isEqualTo(1);

            relay.freeze();
            // Changes keep coming while the client is gone; a few tens of kilobytes fill the
            // socket buffers between the server and the frozen relay, so the server's writes stall.
            int changes = 40;
            String note = "n".repeat(500);
            for (int i = 0; i < changes; i++) {
                ApiClient.Response r = op.post("/api/availability", Map.of("staffId", anna,
                        "date", LocalDate.of(2031, 1, 1).plusDays(i).toString(), "start", "09:00", "end", "10:00", "note", note));
                assertThat(r.status()).isEqualTo(201);
            }
            long end = start + changes;
            long lastWrite = System.nanoTime();

            long deadline = lastWrite + TimeUnit.MILLISECONDS.toNanos(6 * HEARTBEAT_MS);
            while (sync.openStreams() > 0 && System.nanoTime() < deadline) Thread.onSpinWait();
            long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastWrite);
            System.out.printf("server closed the frozen stream %d ms after the last change (heartbeat %d ms)%n", noticedMs, HEARTBEAT_MS);
            assertThat(sync.openStreams()).as("stream still open %d ms after the last change", noticedMs).isZero();
            assertThat(noticedMs).isLessThan(4 * HEARTBEAT_MS);

            relay.resume();
            assertThat(stream.awaitEnd(java.time.Duration.ofSeconds(10))).as("the dead connection ends once the relay resumes").isTrue();
            List<Long> seen = new ArrayList<>();
            for (EventStreamClient.Frame f : stream.pending()) if (f.isEvent()) seen.add(f.id());
            Long resumeFrom = stream.lastEventId();

            try (EventStreamClient again = EventStreamClient.open(relay.baseUrl(), op.token(), "/api/events",
                    resumeFrom == null ? start : resumeFrom)) {
                if (resumeFrom == null || resumeFrom < end) {
                    for (EventStreamClient.Frame f : again.eventsThrough(end)) seen.add(f.id());
                }
            }
            assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(start + 1, end).boxed().toList());
        }
    }
}
