package com.royalcare.loadtest.bench;

import com.royalcare.testkit.ApiClient;
import com.royalcare.testkit.PrometheusScrape;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Issue 5 section 5, memory per idle connection: the server's resident memory with N open, idle
 * event streams minus before they opened, divided by N (target ≤ 30 KiB). Idle: after one marker
 * round proves every stream live, nothing is written; the streams only get heartbeats, and the
 * drill waits longer than one heartbeat interval before it measures.
 *
 * <p>RSS of a JVM also holds garbage not yet collected and heap the collector grew into, so the
 * drill reports three figures: RSS as found; RSS and heap after a full GC on both sides
 * ({@code jcmd PID GC.run}), which is what the connections really keep; and RSS after closing them
 * again (what the JVM gives back).
 *
 * <pre>java -cp jar com.royalcare.loadtest.bench.IdleMemoryBenchmark --url URL --server-pid PID [--password PW]
 *      [--streams 10000] [--channels 100] [--filtered true] [--settle 20] [--markdown FILE]</pre>
 */
public final class IdleMemoryBenchmark {

    private IdleMemoryBenchmark() {
    }

    static final String HEADER = """
            | idle streams | filter | server JVM options | RSS before → with streams | RSS per stream | after full GC: RSS before → with | RSS per stream after GC | heap per stream after GC | server CPU while idle | RSS after closing all | threads before → with | goal | met |
            |--:|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|""";

    public static void main(String[] args) throws Exception {
        Flags f = new Flags(args);
        String url = f.required("url");
        String password = f.password();
        long pid = f.longValue("server-pid", -1);
        int streams = f.integer("streams", 10_000);
        int channels = f.integer("channels", 100);
        boolean filtered = f.bool("filtered", true);
        int settle = f.integer("settle", 20);
        double goalKib = f.decimal("goal-kib", 30);
        String client = f.string("client", "nio");
        String jvmOptions = f.string("server-jvm-options", "defaults");
        String markdown = f.string("markdown", null);
        f.done();
        if (pid <= 0) {
            throw new IllegalArgumentException("--server-pid is required: the drill reads the server's memory from /proc");
        }
        Ledger ledger = Benchmarks.ledger(streams, filtered, channels);
        int[] writeChannels = Benchmarks.writeChannels(streams, filtered, channels);
        try (RoyalCareTarget target = new RoyalCareTarget(url, "operator", password, 12)) {
            target.setup(channels);
            // warm the stream path (classes, JIT, pools) with a few streams first, so the baseline is not a cold JVM
            Ledger warmLedger = Benchmarks.ledger(200, filtered, channels);
            try (StreamPool warm = StreamPool.create(client, target, warmLedger, 200, 1, 100, i -> Benchmarks.channelOf(i, filtered, channels))) {
                warm.openAll(60_000);
                Benchmarks.awaitReady(target, warmLedger, warm, filtered, Benchmarks.writeChannels(200, filtered, channels));
            }
            Thread.sleep(3_000);
            Snapshot before = Snapshot.take(pid, target);
            gc(pid);
            Snapshot beforeGc = Snapshot.take(pid, target);
            LoadTool.log("before: %s; after a full GC: %s", before, beforeGc);

            try (StreamPool pool = StreamPool.create(client, target, ledger, streams, 1, 500, i -> Benchmarks.channelOf(i, filtered, channels))) {
                long t0 = System.nanoTime();
                pool.openAll(TimeUnit.MINUTES.toMillis(3));
                LoadTool.waitFor(() -> pool.streamsOpen.get() >= streams, 60_000);
                LoadTool.log("%,d streams open in %d ms", pool.streamsOpen.get(), LoadTool.ms(System.nanoTime() - t0));
                Benchmarks.awaitReady(target, ledger, pool, filtered, writeChannels);
                LoadTool.log("idle for %d s", settle);
                // heartbeats and session re-checks are all an idle stream costs: its CPU over the settle time
                long cpu0 = ProcStats.cpuNanos(pid);
                long wall0 = System.nanoTime();
                Thread.sleep(TimeUnit.SECONDS.toMillis(settle));
                double idleCpuPct = 100.0 * (ProcStats.cpuNanos(pid) - cpu0) / (System.nanoTime() - wall0);
                Snapshot with = Snapshot.take(pid, target);
                gc(pid);
                Snapshot withGc = Snapshot.take(pid, target);
                int open = pool.streamsOpen.get();
                LoadTool.log("with %,d streams: %s; after a full GC: %s", open, with, withGc);
                pool.dropAll();
                LoadTool.waitFor(() -> pool.streamsOpen.get() == 0, 30_000);
                // the server notices a vanished client when it next writes to it: within one heartbeat (15 s)
                ApiClient api = target.api();
                LoadTool.waitFor(() -> streamsOpen(api) <= 0, 40_000);
                LoadTool.log("server reports %s open streams", Benchmarks.fmt(streamsOpen(api)));
                gc(pid);
                Snapshot closed = Snapshot.take(pid, target);
                LoadTool.log("after closing them: %s", closed);

                double perStream = (with.rssKib - before.rssKib) / (double) open;
                double perStreamGc = (withGc.rssKib - beforeGc.rssKib) / (double) open;
                double heapPerStream = (withGc.heapBytes - beforeGc.heapBytes) / 1024.0 / open;
                boolean met = perStream <= goalKib && open == streams;
                System.out.printf(Locale.ROOT, "== memory per idle stream ==%n%,d idle streams: RSS %s → %s = %s KiB per stream (goal ≤ %s KiB)%n"
                                + "after a full GC on both sides: RSS %s → %s = %s KiB per stream; heap used %s → %s = %s KiB per stream%n"
                                + "server CPU while idle: %s %% of one core%n"
                        + "after closing all: RSS %s; threads %d → %d%n%s%n",
                        open, Benchmarks.mib(before.rssKib), Benchmarks.mib(with.rssKib), Benchmarks.fmt(perStream), Benchmarks.fmt(goalKib),
                        Benchmarks.mib(beforeGc.rssKib), Benchmarks.mib(withGc.rssKib), Benchmarks.fmt(perStreamGc),
                        Benchmarks.mib(beforeGc.heapBytes / 1024), Benchmarks.mib(withGc.heapBytes / 1024), Benchmarks.fmt(heapPerStream),
                        Benchmarks.fmt(idleCpuPct), Benchmarks.mib(closed.rssKib), before.threads, with.threads, met ? "MET" : "MISSED");
                Benchmarks.append(markdown, String.format(Locale.ROOT,
                        "| %,d | %s | %s | %s → %s | %s KiB | %s → %s | %s KiB | %s KiB | %s %% | %s | %d → %d | ≤ %s KiB | %s |",
                        open, filtered ? "staffId (" + channels + ")" : "all", jvmOptions, Benchmarks.mib(before.rssKib),
                        Benchmarks.mib(with.rssKib), Benchmarks.fmt(perStream), Benchmarks.mib(beforeGc.rssKib), Benchmarks.mib(withGc.rssKib),
                        Benchmarks.fmt(perStreamGc), Benchmarks.fmt(heapPerStream), Benchmarks.fmt(idleCpuPct), Benchmarks.mib(closed.rssKib), before.threads,
                        with.threads, Benchmarks.fmt(goalKib), met ? "yes" : "**no**"));
                System.exit(met ? 0 : 1);
            }
        }
    }

    private static double streamsOpen(ApiClient api) {
        try {
            PrometheusScrape m = api.metrics();
            return m.has("rcs_sync_streams_open") ? m.sum("rcs_sync_streams_open") : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** A full GC in the server (jcmd), bounded to 60 s. */
    static void gc(long pid) throws Exception {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            LoadTool.log("jcmd GC.run did not finish in 60 s");
        }
        Thread.sleep(2_000);
    }

    /** Bytes of live objects on the server's heap: {@code jcmd GC.class_histogram} collects fully first, then totals what is left. */
    static long liveHeapBytes(long pid) throws Exception {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        long total = -1;
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            for (String line; (line = lines.readLine()) != null; ) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && f[0].equals("Total")) total = Long.parseLong(f[2]);
            }
        }
        p.waitFor(60, TimeUnit.SECONDS);
        return total;
    }

    /** The server's RSS, heap in use (from its /metrics) and thread count at one moment. */
    record Snapshot(long rssKib, long heapBytes, int threads) {
        static Snapshot take(long pid, Target target) {
            double heap = target.serverMetrics().sum("jvm_memory_used_bytes", "area", "heap");
            return new Snapshot(ProcStats.rssKib(pid), (long) heap, ProcStats.threads(pid));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "RSS %s, heap used %s, %d threads", Benchmarks.mib(rssKib), Benchmarks.mib(heapBytes / 1024), threads);
        }
    }
}
