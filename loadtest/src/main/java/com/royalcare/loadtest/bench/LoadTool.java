package com.royalcare.loadtest.bench;

import com.royalcare.testkit.PrometheusScrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.HdrHistogram.Histogram;

/**
 * Live-sync load tool (issue 3, section 9): holds N SSE subscribers on {@code /api/events},
 * writes availability through the API at a set rate and reports write-to-delivery latency,
 * lost and duplicated deliveries, and the server's CPU and resident memory.
 * Run {@code bench/run.sh}; {@code --help} lists the flags.
 */
public final class LoadTool {

    private LoadTool() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--markdown-header")) {
            System.out.println(Result.MARKDOWN_HEADER);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("error: " + e.getMessage());
            }
            System.err.print(Options.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        Result result = run(options);
        System.out.println(result.text());
        if (options.markdownFile() != null) {
            Files.writeString(Path.of(options.markdownFile()), result.markdownRow() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        System.exit(result.passed() ? 0 : 1);
    }

    static Result run(Options o) throws Exception {
        log("%s: %,d subscribers (%s), %d staff, %.0f writes/s, warm-up %d s, measured %d s, target %s, %s client",
                o.label(), o.subscribers(), o.filtered() ? "each filtered to one staff member" : "all events",
                o.staff(), o.rate(), o.warmupSeconds(), o.durationSeconds(), o.url(), o.client());
        int[] perChannel = new int[o.staff()];
        for (int i = 0; i < o.subscribers(); i++) {
            int c = o.channelOf(i);
            if (c >= 0) {
                perChannel[c]++;
            }
        }
        Ledger ledger = new Ledger(c -> o.filtered() ? perChannel[c] : o.subscribers());
        // write only where somebody listens when filtered, so every write is expected somewhere
        int[] writeChannels = IntStream.range(0, o.staff())
                .filter(c -> !o.filtered() || perChannel[c] > 0 || o.subscribers() == 0).toArray();

        try (RoyalCareTarget target = new RoyalCareTarget(o.url(), o.username(), o.password(), o.positionsPerStaff())) {
            long t0 = System.nanoTime();
            target.setup(o.staff());
            log("signed in, created %d staff in %d ms", o.staff(), ms(System.nanoTime() - t0));

            try (StreamPool pool = StreamPool.create(o.client(), target, ledger, o.subscribers(), o.selectors(),
                    o.connectConcurrency(), o::channelOf)) {
                t0 = System.nanoTime();
                pool.openAll(TimeUnit.MINUTES.toMillis(3));
                waitFor(() -> pool.streamsOpen.get() >= o.subscribers(), 60_000);
                log("%,d of %,d streams answered 200 in %d ms (%d failed opens%s)", pool.streamsOpen.get(),
                        o.subscribers(), ms(System.nanoTime() - t0), pool.openFailures.sum(),
                        pool.lastFailure() == null ? "" : "; last: " + pool.lastFailure());
                awaitReady(o, target, ledger, pool, writeChannels);

                WriteDriver writer = new WriteDriver(target, ledger, writeChannels);
                if (o.warmupSeconds() > 0) {
                    log("warm-up %d s", o.warmupSeconds());
                    writer.run(o.rate(), o.warmupSeconds(), false);
                }
                long serverPid = o.serverPid();
                long serverCpu0 = serverPid > 0 ? ProcStats.cpuNanos(serverPid) : -1;
                long toolCpu0 = ProcStats.selfCpuNanos();
                long machine0 = ProcStats.machineBusyNanos();
                AtomicLong maxRssKib = new AtomicLong(serverPid > 0 ? ProcStats.rssKib(serverPid) : -1);
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "bench-rss-sampler");
                    t.setDaemon(true);
                    return t;
                });
                if (serverPid > 0) {
                    sampler.scheduleAtFixedRate(() -> maxRssKib.accumulateAndGet(ProcStats.rssKib(serverPid), Math::max),
                            0, 500, TimeUnit.MILLISECONDS);
                }
                log("measuring %d s", o.durationSeconds());
                PrometheusScrape metrics0 = target.serverMetrics();
                FsyncProbe fsync = new FsyncProbe(Path.of(System.getProperty("java.io.tmpdir")));
                long m0 = System.nanoTime();
                writer.run(o.rate(), o.durationSeconds(), true);
                long wall = System.nanoTime() - m0;
                fsync.close();
                PrometheusScrape metrics1 = target.serverMetrics();
                long serverCpu = serverPid > 0 ? ProcStats.cpuNanos(serverPid) - serverCpu0 : -1;
                long toolCpu = ProcStats.selfCpuNanos() - toolCpu0;
                long machineBusy = ProcStats.machineBusyNanos() - machine0;
                // CPU used by neither the server nor this tool: other work sharing the two cores
                long otherCpu = machine0 < 0 ? -1 : machineBusy - toolCpu - Math.max(0, serverCpu);
                int streamsOpenAtEnd = pool.streamsOpen.get();
                sampler.shutdownNow();
                long rssEnd = serverPid > 0 ? ProcStats.rssKib(serverPid) : -1;
                long threads = serverPid > 0 ? ProcStats.threads(serverPid) : -1;

                long d0 = System.nanoTime();
                boolean drained = waitFor(() -> ledger.inFlight() == 0 && ledger.outstanding() == 0,
                        TimeUnit.SECONDS.toMillis(o.drainSeconds()));
                log("drain %s after %d ms", drained ? "complete" : "TIMED OUT", ms(System.nanoTime() - d0));
                return new Result(o, ledger.totals(), copy(ledger.deliveryHistogram()), copy(ledger.writeHistogram()),
                        writer, pool, ledger, wall, serverCpu, toolCpu, otherCpu, rssEnd,
                        Math.max(rssEnd, maxRssKib.get()), threads, streamsOpenAtEnd, ledger.breakdown(),
                        fsync.summary(), new ServerSide(metrics0, metrics1));
            }
        }
    }

    /** Markers until every subscriber has seen one: proves each stream is registered and live. */
    private static void awaitReady(Options o, Target target, Ledger ledger, StreamPool pool, int[] writeChannels)
            throws InterruptedException {
        if (o.subscribers() == 0) {
            return;
        }
        long t0 = System.nanoTime();
        int[] markerChannels = o.filtered() ? writeChannels : new int[] {0};
        for (int round = 1; ; round++) {
            for (int c : markerChannels) {
                target.write(c, false, true, ledger);
            }
            waitFor(() -> pool.ready() >= o.subscribers() && ledger.inFlight() == 0, 2_000);
            if (pool.ready() >= o.subscribers()) {
                log("all %,d subscribers live after %d marker round(s), %d ms", o.subscribers(), round,
                        ms(System.nanoTime() - t0));
                return;
            }
            log("marker round %d: %,d of %,d subscribers live, %,d streams open", round, pool.ready(),
                    o.subscribers(), pool.streamsOpen.get());
            if (round >= 60) {
                throw new IllegalStateException("only " + pool.ready() + " of " + o.subscribers()
                        + " subscribers received events; last stream failure: " + pool.lastFailure()
                        + "; write errors: " + ledger.errors.keySet());
            }
        }
    }

    static boolean waitFor(java.util.function.BooleanSupplier condition, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static Histogram copy(Histogram h) {
        return h.copy();
    }

    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    static void log(String format, Object... args) {
        System.err.println("[bench " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] "
                + String.format(Locale.ROOT, format, args));
    }

    /** Deltas of the server's own metrics over the measured period. */
    record ServerSide(PrometheusScrape before, PrometheusScrape after) {
        /** Sum of the deltas of every series of a counter (all label sets); "n/a" if the server has none. */
        String counter(String name) {
            return after.has(name) ? String.format(Locale.ROOT, "%,.0f", after.delta(before, name)) : "n/a";
        }

        double quantileMs(String histogram, double q) {
            return after.quantile(before, histogram, q) * 1000;
        }
    }

    /** Figures of one run, as text and as a markdown table row. */
    record Result(Options o, Ledger.Totals t, Histogram delivery, Histogram writeRtt, WriteDriver writer,
                  StreamPool pool, Ledger ledger, long wallNanos, long serverCpuNanos, long toolCpuNanos,
                  long otherCpuNanos, long rssEndKib, long rssMaxKib, long serverThreads, int streamsOpenAtEnd,
                  Ledger.Breakdown breakdown, String fsync, ServerSide server) {

        static final String MARKDOWN_HEADER = """
                | run | subscribers | filter | staff | writes/s | measured | writes ok / failed | deliveries expected | received | lost | dup | p50 ms | p99 ms | max ms | write RTT p50 / p99 ms | p99 split ms: start→append / →first sub / spread | server CPU | server RSS max | tool CPU | other CPU | fsync p99 ms | goal | met |
                |---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|""";

        double p(double percentile) {
            return delivery.getTotalCount() == 0 ? Double.NaN : delivery.getValueAtPercentile(percentile) / 1000.0;
        }

        double max() {
            return delivery.getTotalCount() == 0 ? Double.NaN : delivery.getMaxValue() / 1000.0;
        }

        double cpuPercent(long cpuNanos) {
            return cpuNanos < 0 ? Double.NaN : 100.0 * cpuNanos / wallNanos;
        }

        String goalText() {
            StringBuilder g = new StringBuilder();
            Options.Goals goals = o.goals();
            if (!Double.isNaN(goals.p50Ms())) {
                g.append("p50 ≤ ").append(fmt(goals.p50Ms())).append(" ms, ");
            }
            if (!Double.isNaN(goals.p99Ms())) {
                g.append("p99 ≤ ").append(fmt(goals.p99Ms())).append(" ms, ");
            }
            if (goals.maxRssMib() > 0) {
                g.append("RSS ≤ ").append(goals.maxRssMib()).append(" MiB, ");
            }
            return g.append("0 lost, 0 dup").toString();
        }

        /** Null when all goals hold, otherwise what missed and by how much. */
        String misses() {
            StringBuilder m = new StringBuilder();
            Options.Goals goals = o.goals();
            if (t.received() == 0 && t.expected() > 0) {
                m.append("nothing delivered; ");
            }
            if (!Double.isNaN(goals.p50Ms()) && !(p(50) <= goals.p50Ms())) {
                m.append("p50 ").append(fmt(p(50))).append(" ms is ").append(fmt(p(50) - goals.p50Ms()))
                        .append(" ms over; ");
            }
            if (!Double.isNaN(goals.p99Ms()) && !(p(99) <= goals.p99Ms())) {
                m.append("p99 ").append(fmt(p(99))).append(" ms is ").append(fmt(p(99) - goals.p99Ms()))
                        .append(" ms over; ");
            }
            if (goals.maxRssMib() > 0 && (rssMaxKib < 0 || rssMaxKib / 1024 > goals.maxRssMib())) {
                m.append(rssMaxKib < 0 ? "RSS not measured (no --server-pid); "
                        : "RSS " + rssMaxKib / 1024 + " MiB is " + (rssMaxKib / 1024 - goals.maxRssMib()) + " MiB over; ");
            }
            if (t.lost() > 0) {
                m.append(t.lost()).append(" lost; ");
            }
            if (t.duplicates() + t.extra() > 0) {
                m.append(t.duplicates() + t.extra()).append(" duplicated; ");
            }
            if (t.writesFailed() > 0 || t.writesPending() > 0) {
                m.append(t.writesFailed()).append(" writes failed, ").append(t.writesPending()).append(" unanswered; ");
            }
            if (t.misrouted() > 0 || t.unexpected() > 0) {
                m.append(t.misrouted()).append(" misrouted, ").append(t.unexpected()).append(" unexpected; ");
            }
            return m.length() == 0 ? null : m.substring(0, m.length() - 2);
        }

        boolean passed() {
            return misses() == null;
        }

        String text() {
            StringBuilder s = new StringBuilder();
            s.append("== ").append(o.label()).append(" ==\n");
            s.append(String.format(Locale.ROOT, "subscribers %,d (%s), staff %d, rate %.0f/s, measured %.1f s%n",
                    o.subscribers(), o.filtered() ? "filtered" : "all events", o.staff(), o.rate(), wallNanos / 1e9));
            s.append(String.format(Locale.ROOT, "writes: ok %,d, failed %,d, unanswered %,d, skipped (positions busy) %,d, max schedule lag %,d µs%n",
                    t.writesOk(), t.writesFailed(), t.writesPending(), writer.skipped, writer.maxLagMicros));
            s.append(String.format(Locale.ROOT, "deliveries: expected %,d, received %,d, lost %,d, duplicated %,d (by seq) + %,d (extra per write), unexpected %,d, misrouted %,d, foreign events %,d, resets %,d%n",
                    t.expected(), t.received(), t.lost(), t.duplicates(), t.extra(), t.unexpected(), t.misrouted(),
                    t.unknownEvents(), t.resets()));
            s.append(String.format(Locale.ROOT, "delivery latency (measured writes, %,d deliveries): p50 %s ms, p90 %s ms, p99 %s ms, p99.9 %s ms, max %s ms%n",
                    delivery.getTotalCount(), fmt(p(50)), fmt(p(90)), fmt(p(99)), fmt(p(99.9)), fmt(max())));
            s.append(String.format(Locale.ROOT, "write round trip: p50 %s ms, p99 %s ms, max %s ms%n",
                    fmt(writeRtt.getValueAtPercentile(50) / 1000.0), fmt(writeRtt.getValueAtPercentile(99) / 1000.0),
                    fmt(writeRtt.getMaxValue() / 1000.0)));
            s.append(String.format(Locale.ROOT, "streams: %,d open at end of measuring, %,d opens, %,d failed opens, %,d ended by server, %,d reconnects, %,d bytes read%n",
                    streamsOpenAtEnd, pool.opens.sum(), pool.openFailures.sum(), pool.endedByServer.sum(),
                    pool.reconnects.sum(), pool.bytes.sum()));
            s.append(String.format(Locale.ROOT, "server: CPU %s%% of one core, RSS %s MiB at end, %s MiB max, %s threads; tool CPU %s%%; other processes %s%% (of one core; the machine has %d)%n",
                    fmt(cpuPercent(serverCpuNanos)), mib(rssEndKib), mib(rssMaxKib),
                    serverThreads < 0 ? "?" : Long.toString(serverThreads), fmt(cpuPercent(toolCpuNanos)),
                    fmt(cpuPercent(otherCpuNanos)), Runtime.getRuntime().availableProcessors()));
            s.append(String.format(Locale.ROOT, "where the time goes, per measured write (p50 / p99 / max ms): API start → change appended %s; appended → first subscriber %s; first → last subscriber %s%n",
                    q3(breakdown.startToAppend), q3(breakdown.appendToFirst), q3(breakdown.spread)));
            s.append(String.format(Locale.ROOT, "server's own view: commit → socket write p50 ≤ %s ms, p99 ≤ %s ms (histogram buckets); clients cut for lagging %s; events delivered %s%n",
                    fmt(server.quantileMs("rcs_sync_commit_to_write_seconds", 0.5)),
                    fmt(server.quantileMs("rcs_sync_commit_to_write_seconds", 0.99)),
                    server.counter("rcs_sync_clients_cut_total"), server.counter("rcs_sync_events_delivered_total")));
            s.append("machine: fsync of 4 KiB during the run p50 / p99 / max ms: ").append(fsync).append('\n');
            s.append("HTTP statuses of writes: ").append(ledger.statusCounts).append('\n');
            if (!ledger.errors.isEmpty()) {
                s.append("write errors:\n");
                ledger.errors.forEach((e, n) -> s.append("  ").append(n).append(" × ").append(e).append('\n'));
            }
            s.append("goal: ").append(goalText()).append(" → ").append(passed() ? "MET" : "MISSED: " + misses());
            return s.toString();
        }

        String markdownRow() {
            return String.format(Locale.ROOT,
                    "| %s | %,d | %s | %d | %.0f | %d s | %,d / %,d | %,d | %,d | %,d | %,d | %s | %s | %s | %s / %s | %s | %s | %s | %s | %s | %s | %s | %s |",
                    o.label(), o.subscribers(), o.filtered() ? "staffId" : "all", o.staff(), o.rate(),
                    Math.round(wallNanos / 1e9), t.writesOk(), t.writesFailed() + t.writesPending(), t.expected(),
                    t.received(), t.lost(), t.duplicates() + t.extra(), fmt(p(50)), fmt(p(99)), fmt(max()),
                    fmt(writeRtt.getValueAtPercentile(50) / 1000.0), fmt(writeRtt.getValueAtPercentile(99) / 1000.0),
                    q(breakdown.startToAppend, 99) + " / " + q(breakdown.appendToFirst, 99) + " / " + q(breakdown.spread, 99),
                    Double.isNaN(cpuPercent(serverCpuNanos)) ? "n/a" : fmt(cpuPercent(serverCpuNanos)) + " %",
                    rssMaxKib < 0 ? "n/a" : mib(rssMaxKib) + " MiB",
                    fmt(cpuPercent(toolCpuNanos)) + " %",
                    Double.isNaN(cpuPercent(otherCpuNanos)) ? "n/a" : fmt(cpuPercent(otherCpuNanos)) + " %",
                    fsync.contains("/") ? fsync.split(" / ")[1] : fsync, goalText(), passed() ? "yes" : "**no**: " + misses());
        }

        private static String fmt(double v) {
            if (Double.isNaN(v)) {
                return "n/a";
            }
            return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
        }

        private static String q(Histogram h, double percentile) {
            return h.getTotalCount() == 0 ? "n/a" : fmt(h.getValueAtPercentile(percentile) / 1000.0);
        }

        private static String q3(Histogram h) {
            return h.getTotalCount() == 0 ? "n/a"
                    : q(h, 50) + " / " + q(h, 99) + " / " + fmt(h.getMaxValue() / 1000.0);
        }

        private static String mib(long kib) {
            return kib < 0 ? "?" : Long.toString(Math.round(kib / 1024.0));
        }
    }
}
