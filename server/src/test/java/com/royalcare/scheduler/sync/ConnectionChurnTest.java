package com.royalcare.scheduler.sync;

import com.royalcare.testkit.ApiClient;
import com.royalcare.testkit.SseEvent;
import com.royalcare.testkit.SseParser;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Streams that come and go leave nothing behind: no held threads, no subscriptions, no memory. */
class ConnectionChurnTest {

    private static final int PARALLEL = 4;

    @Test
    void ten_thousand_connect_disconnect_cycles_hold_no_threads_and_close_every_stream() throws Exception {
        // Short heartbeats: a client that just vanished is noticed at the next write.
        try (TestServer server = TestServer.start(Map.of("SYNC_HEARTBEAT_MS", "100", "SYNC_STREAMS_PER_USER", "100000"))) {
            ApiClient operator = server.operator();
            ExecutorService clientThreads = Executors.newFixedThreadPool(2);
            HttpClient http = HttpClient.newBuilder().executor(clientThreads).build();
            ExecutorService workers = Executors.newFixedThreadPool(PARALLEL);

            cycles(server, operator, http, workers, 1_000); // warm-up
            SlowClientTest.awaitGauge(operator, "rcs_sync_streams_open", 0);
            List<String> workingBefore = awaitWorkingThreadsAtMost(Integer.MAX_VALUE);
            int allBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            long heapBefore = usedHeapAfterGc();

            long t0 = System.nanoTime();
            cycles(server, operator, http, workers, 10_000);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            SlowClientTest.awaitGauge(operator, "rcs_sync_streams_open", 0);
            List<String> workingAfter = awaitWorkingThreadsAtMost(workingBefore.size());
            int allAfter = ManagementFactory.getThreadMXBean().getThreadCount();
            long heapAfter = usedHeapAfterGc();

            System.out.printf("10,000 stream cycles in %d ms; working threads %d -> %d (all threads incl. the container's idle pool %d -> %d);"
                            + " heap after GC %d MB -> %d MB%n",
                    millis, workingBefore.size(), workingAfter.size(), allBefore, allAfter, heapBefore >> 20, heapAfter >> 20);
            assertThat(workingAfter).as("threads not idle in the container's pool").hasSizeLessThanOrEqualTo(workingBefore.size());
            assertThat(heapAfter - heapBefore).isLessThan(32L << 20);
            assertThat(server.app().services().sync().openStreams()).isZero();
            workers.shutdown();
            clientThreads.shutdown();
        }
    }

    /** Opens a stream, waits for its greeting, drops the connection; {@code n} times, {@link #PARALLEL} at once. */
    private static void cycles(TestServer server, ApiClient operator, HttpClient http, ExecutorService workers, int n) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/events"))
                .header("Authorization", "Bearer " + operator.token()).GET().build();
        AtomicInteger left = new AtomicInteger(n);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < PARALLEL; w++) {
            done.add(workers.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    try {
                        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                        assertThat(r.statusCode()).isEqualTo(200);
                        try (InputStream in = r.body()) {
                            readGreeting(in);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (Future<?> f : done) f.get();
    }

    /** Reads until the stream's first block (the greeting) has ended. */
    private static void readGreeting(InputStream in) throws IOException {
        boolean[] ended = {false};
        SseParser parser = new SseParser(new SseParser.Listener() {
            @Override
            public void onEvent(SseEvent event) {
                ended[0] = true;
            }

            @Override
            public void onBlockWithoutData() {
                ended[0] = true;
            }
        });
        byte[] buffer = new byte[512];
        for (int n; !ended[0] && (n = in.read(buffer)) > 0; ) parser.feed(buffer, 0, n);
        if (!ended[0]) throw new IOException("stream ended before its greeting");
    }

    /**
     * Threads other than the web container's pool threads that sit idle (waiting for a job, or
     * reserved for the next one): the container's pool is elastic and shrinks by itself; anything else
     * would be held on behalf of a connection. Waits up to 10 s for the count to settle to {@code max}.
     */
    private static List<String> awaitWorkingThreadsAtMost(int max) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<String> working = new ArrayList<>();
            Thread.getAllStackTraces().forEach((t, stack) -> {
                for (StackTraceElement e : stack) {
                    String frame = e.getClassName() + "." + e.getMethodName();
                    if (frame.endsWith("QueuedThreadPool$Runner.idleJobPoll") || frame.endsWith("ReservedThread.waitForTask")) return;
                }
                working.add(t.getName());
            });
            if (working.size() <= max || System.nanoTime() > deadline) return working;
            Thread.onSpinWait();
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
