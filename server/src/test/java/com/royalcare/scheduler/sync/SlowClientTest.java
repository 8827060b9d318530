package com.royalcare.scheduler.sync;

import com.royalcare.testkit.SseParser;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that stops reading must not hold anyone else up; it is cut, and resumes without loss. */
class SlowClientTest {

    private static final String NOTE = "x".repeat(490);

    @Test
    void a_stuck_client_does_not_delay_a_healthy_one_and_is_cut_then_resumes_without_loss() throws Exception {
        try (TestServer server = TestServer.start(Map.of("SYNC_CLIENT_QUEUE", "20"))) {
            ApiClient operator = server.operator();
            long therapist = operator.createStaff("busy", "therapist");
            long slot = Slots.create(operator, therapist);
            long start = Slots.head(operator);

            try (Socket stuck = openAndNeverRead(server, operator.token());
                 EventStreamClient healthy = EventStreamClient.open(server.baseUrl(), operator.token(), "/api/events", null)) {
                healthy.next();
                awaitGauge(operator, "rcs_sync_streams_open", 2);

                // Large events fill the stuck client's socket buffers, then its queue; the healthy one keeps up throughout.
                List<Long> latencies = new ArrayList<>();
                int writes = 1;
                Slots.patch(operator, slot, Map.of("note", NOTE));
                assertThat(healthy.nextEvent().id()).isEqualTo(start + 1);
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (writes % 50 != 0 || metric(operator, "rcs_sync_clients_cut_total") < 1) {
                    assertThat(System.nanoTime()).as("stuck client cut within 2 minutes").isLessThan(deadline);
                    long t0 = System.nanoTime();
                    Slots.patch(operator, slot, Map.of("note", NOTE + writes));
                    EventStreamClient.Frame f = healthy.nextEvent();
                    latencies.add((System.nanoTime() - t0) / 1000);
                    assertThat(f.id()).isEqualTo(start + (++writes));
                }
                for (int i = 0; i < 20; i++) { // after the cut, too
                    long t0 = System.nanoTime();
                    Slots.patch(operator, slot, Map.of("note", "after " + i));
                    assertThat(healthy.nextEvent().id()).isEqualTo(start + (++writes));
                    latencies.add((System.nanoTime() - t0) / 1000);
                }
                awaitGauge(operator, "rcs_sync_streams_open", 1);
                Collections.sort(latencies);
                System.out.printf("healthy client beside a stuck one: %d writes, write-to-event p50 %d us, p99 %d us, max %d us%n",
                        writes, latencies.get(latencies.size() / 2), latencies.get(latencies.size() * 99 / 100),
                        latencies.get(latencies.size() - 1));

                // The cut client reads what reached it, then resumes from its last complete event.
                long lastId = lastCompleteId(stuck);
                assertThat(lastId).isBetween(start, start + writes - 1);
                long head = start + writes;
                try (EventStreamClient resumed = EventStreamClient.open(server.baseUrl(), operator.token(), "/api/events", lastId)) {
                    assertThat(resumed.eventsThrough(head)).extracting(EventStreamClient.Frame::id)
                            .containsExactlyElementsOf(LongStream.rangeClosed(lastId + 1, head).boxed().toList());
                }
            }
        }
    }

    /**
     * A client that keeps reading, only too slowly (2 KB/s against ~25 KB/s of events), is cut once a
     * small backlog has built up: the stream's fixed kernel send buffer (SYNC_SEND_BUFFER, 64 KiB)
     * keeps the backlog in the server's bounded queue. Left to itself, Linux grows a busy socket's
     * send buffer to megabytes and hides the backlog there (measured: cut only after ~1,300 writes,
     * 650 KB, instead of ~200), so the client falls ever further behind without being noticed.
     */
    @Test
    void a_client_that_reads_too_slowly_is_cut_after_a_small_backlog() throws Exception {
        try (TestServer server = TestServer.start(Map.of("SYNC_CLIENT_QUEUE", "20"))) {
            ApiClient operator = server.operator();
            long slot = Slots.create(operator, operator.createStaff("slowly", "therapist"));
            try (Socket slow = openAndNeverRead(server, operator.token())) {
                awaitGauge(operator, "rcs_sync_streams_open", 1);
                Thread reader = new Thread(() -> readAt2KBps(slow));
                reader.setDaemon(true);
                reader.start();
                int writes = 0;
                while (metric(operator, "rcs_sync_clients_cut_total") < 1) {
                    assertThat(writes).as("writes of ~500-byte events before the slow reader is cut").isLessThan(500);
                    Slots.patch(operator, slot, Map.of("note", NOTE + writes++));
                }
                System.out.printf("slow reader (2 KB/s) cut after %d writes%n", writes);
            }
        }
    }

    /**
     * Several clients cut at once leave every healthy stream live, also the streams beyond the first
     * 8 that the publisher hands to the writer pool: a cut must not hold a writer thread. (The
     * failure that prompted it, a cut looping in Javalin's error handling on a recycled request,
     * needs a client that disconnects while being cut; the convergence drill with
     * SYNC_CLIENT_QUEUE=20 reproduces that, see docs/RELIABILITY.md.)
     */
    @Test
    void cutting_stuck_clients_leaves_every_healthy_stream_live() throws Exception {
        try (TestServer server = TestServer.start(Map.of("SYNC_CLIENT_QUEUE", "20"))) {
            ApiClient operator = server.operator();
            long slot = Slots.create(operator, operator.createStaff("crowded", "therapist"));
            List<Socket> stuck = new ArrayList<>();
            List<EventStreamClient> healthy = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) stuck.add(openAndNeverRead(server, operator.token()));
                for (int i = 0; i < 12; i++) healthy.add(EventStreamClient.open(server.baseUrl(), operator.token(), "/api/events", null));
                awaitGauge(operator, "rcs_sync_streams_open", 16);
                for (int writes = 0; metric(operator, "rcs_sync_clients_cut_total") < stuck.size(); writes++) {
                    assertThat(writes).as("writes before every stuck client is cut").isLessThan(2_000);
                    Slots.patch(operator, slot, Map.of("note", NOTE + writes));
                }
                for (int i = 0; i < 5; i++) Slots.patch(operator, slot, Map.of("note", "after the cuts " + i));
                long head = Slots.head(operator);
                for (EventStreamClient h : healthy) {
                    assertThat(h.eventsThrough(head)).last().extracting(EventStreamClient.Frame::id).isEqualTo(head);
                }
                awaitGauge(operator, "rcs_sync_streams_open", healthy.size());
            } finally {
                for (Socket s : stuck) s.close();
                healthy.forEach(EventStreamClient::close);
            }
        }
    }

    /** Reads 200 bytes every 100 ms until the connection ends (a slow reader, not a wait). */
    private static void readAt2KBps(Socket s) {
        byte[] buf = new byte[200];
        try {
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            while (in.read(buf) > 0) Thread.sleep(100);
        } catch (IOException | InterruptedException ended) {
            // cut by the server, or closed by the test
        }
    }

    /** A real HTTP client that sends its request and then never reads, with a small receive window. */
    private static Socket openAndNeverRead(TestServer server, String token) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("localhost", server.port()));
        s.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Reads everything the server sent before it cut the connection; returns the id of the last complete event. */
    private static long lastCompleteId(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        try {
            for (int n; (n = in.read(buf)) > 0; ) all.write(buf, 0, n);
        } catch (IOException reset) {
            // a cut connection may end with a reset instead of a clean end of stream
        }
        SseParser parser = new SseParser(event -> { });
        parser.feed(dechunk(all.toByteArray()).getBytes(StandardCharsets.UTF_8));
        return parser.lastEventId().isEmpty() ? -1 : Long.parseLong(parser.lastEventId());
    }

    /** Strips the HTTP/1.1 head and chunked framing, keeping whatever complete chunks arrived. */
    private static String dechunk(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        int pos = s.indexOf("\r\n\r\n") + 4;
        StringBuilder body = new StringBuilder();
        while (true) {
            int eol = s.indexOf("\r\n", pos);
            if (eol < 0) break;
            int size = Integer.parseInt(s.substring(pos, eol).split(";")[0].trim(), 16);
            if (size == 0 || eol + 2 + size > s.length()) break;
            body.append(s, eol + 2, eol + 2 + size);
            pos = eol + 2 + size + 2;
        }
        return new String(body.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static double metric(ApiClient c, String name) {
        return c.metrics().sum(name);
    }

    static void awaitGauge(ApiClient c, String name, double value) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (metric(c, name) != value) {
            assertThat(System.nanoTime()).as("%s reaches %s (now %s)", name, value, metric(c, name)).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
