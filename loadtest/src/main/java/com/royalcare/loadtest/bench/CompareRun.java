package com.royalcare.loadtest.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Issue 5 section 6: one scenario against one server, our own or nchan, with exactly the same
 * subscribers, writer, accounting and measurements (the load tool's {@link StreamPool},
 * {@link WriteDriver} and {@link Ledger}); {@code bench/compare-nchan.sh} runs every case against
 * both and then {@code --report} turns the result lines into one table with the ratios.
 *
 * <p>Memory per connection: the server's memory (its whole process tree: nginx master and workers)
 * while the N streams are open and the load runs, minus its memory before any stream opened after a
 * warm-up of writes at the same rate with no subscriber, divided by N. Given as RSS (summed over the
 * processes) and as PSS (shared pages counted once), the honest figure for a multi-process server.
 *
 * <pre>
 * java -cp jar com.royalcare.loadtest.bench.CompareRun --target nchan|royalcare --url URL --case a|b \
 *      [--password PW] [--server-pid PID] [--warmup 10] [--duration 30] [--results file.tsv]
 * java -cp jar com.royalcare.loadtest.bench.CompareRun --report file.tsv   (markdown table on stdout)
 * </pre>
 */
public final class CompareRun {

    private CompareRun() {
    }

    public static void main(String[] args) throws Exception {
        Flags f = new Flags(args);
        String report = f.string("report", null);
        if (report != null) {
            f.done();
            System.out.print(report(Files.readAllLines(Path.of(report))));
            return;
        }
        String targetName = f.required("target");
        String url = f.required("url");
        String kase = f.string("case", "a");
        int subscribers = f.integer("subscribers", kase.equals("a") ? 1_000 : 10_000);
        int channels = f.integer("channels", kase.equals("a") ? 10 : 100);
        boolean filtered = f.bool("filtered", !kase.equals("a"));
        double rate = f.decimal("rate", kase.equals("a") ? 50 : 100);
        int baseWarmup = f.integer("base-warmup", 5);
        int warmup = f.integer("warmup", 10);
        int duration = f.integer("duration", 30);
        int drain = f.integer("drain", 15);
        long pid = f.longValue("server-pid", -1);
        String client = f.string("client", "jetty");
        int selectors = f.integer("selectors", 1);
        String results = f.string("results", null);
        String password = targetName.equals("nchan") ? null : f.password();
        f.done();

        Target target = targetName.equals("nchan") ? new NchanTarget(url, !filtered)
                : new RoyalCareTarget(url, "operator", password, 12);
        LoadTool.log("%s case %s: %,d subscribers (%s), %d channels, %.0f writes/s, warm-up %d s, measured %d s",
                target.name(), kase, subscribers, filtered ? "one channel each" : "everything", channels, rate, warmup, duration);
        Map<String, String> row = new LinkedHashMap<>();
        try (target) {
            target.setup(channels);
            int[] writeChannels = Benchmarks.writeChannels(subscribers, filtered, channels);
            // baseline: the server after the same write load with nobody listening
            Ledger nobody = new Ledger(c -> 0);
            new WriteDriver(target, nobody, writeChannels).run(rate, baseWarmup, false);
            LoadTool.waitFor(() -> nobody.inFlight() == 0, 10_000);
            Thread.sleep(1_000);
            ProcTree.Sample base = ProcTree.Sample.of(pid);
            // a JVM's RSS also holds garbage and heap the collector grew into: also compare after a full GC
            boolean jvm = !targetName.equals("nchan") && pid > 0;
            long baseGcKib = -1;
            long baseLiveHeap = -1;
            if (jvm) {
                IdleMemoryBenchmark.gc(pid);
                baseGcKib = ProcStats.rssKib(pid);
                baseLiveHeap = IdleMemoryBenchmark.liveHeapBytes(pid);
            }
            LoadTool.log("baseline: RSS %s, PSS %s over %d process(es)", Benchmarks.mib(base.rssKib()), Benchmarks.mib(base.pssKib()),
                    base.processes());

            Ledger ledger = Benchmarks.ledger(subscribers, filtered, channels);
            try (StreamPool pool = StreamPool.create(client, target, ledger, subscribers, selectors, 500,
                    i -> Benchmarks.channelOf(i, filtered, channels))) {
                long t0 = System.nanoTime();
                pool.openAll(TimeUnit.MINUTES.toMillis(3));
                LoadTool.waitFor(() -> pool.streamsOpen.get() >= subscribers, 60_000);
                long openMs = LoadTool.ms(System.nanoTime() - t0);
                LoadTool.log("%,d of %,d streams open in %d ms", pool.streamsOpen.get(), subscribers, openMs);
                Benchmarks.awaitReady(target, ledger, pool, filtered, writeChannels);
                WriteDriver writer = new WriteDriver(target, ledger, writeChannels);
                writer.run(rate, warmup, false);
                Benchmarks.Meter meter = new Benchmarks.Meter(pid).start();
                // our events wait for a durable commit: how long the disk's fsync took meanwhile (probed for both targets)
                FsyncProbe fsync = new FsyncProbe(Path.of(System.getProperty("java.io.tmpdir")));
                writer.run(rate, duration, true);
                meter.stop();
                fsync.close();
                LoadTool.waitFor(() -> ledger.inFlight() == 0 && ledger.outstanding() == 0, TimeUnit.SECONDS.toMillis(drain));
                long endGcKib = -1;
                long endLiveHeap = -1;
                if (jvm) {
                    IdleMemoryBenchmark.gc(pid);
                    endGcKib = ProcStats.rssKib(pid);
                    endLiveHeap = IdleMemoryBenchmark.liveHeapBytes(pid);
                }
                Ledger.Totals t = ledger.totals();
                Histogram h = ledger.deliveryHistogram().copy();
                row.put("target", target.name());
                row.put("case", kase);
                row.put("subscribers", Integer.toString(subscribers));
                row.put("filter", filtered ? channels + " channels" : "everything");
                row.put("rate", Benchmarks.fmt(rate));
                row.put("seconds", Long.toString(Math.round(meter.wallNanos / 1e9)));
                row.put("writes_ok", Long.toString(t.writesOk()));
                row.put("writes_failed", Long.toString(t.writesFailed() + t.writesPending()));
                row.put("expected", Long.toString(t.expected()));
                row.put("received", Long.toString(t.received()));
                row.put("lost", Long.toString(t.lost()));
                row.put("dup", Long.toString(t.duplicates() + t.extra()));
                row.put("misrouted", Long.toString(t.misrouted() + t.unexpected()));
                row.put("p50_ms", Benchmarks.fmt(Benchmarks.ms(h, 50)));
                row.put("p99_ms", Benchmarks.fmt(Benchmarks.ms(h, 99)));
                row.put("p999_ms", Benchmarks.fmt(Benchmarks.ms(h, 99.9)));
                row.put("max_ms", Benchmarks.fmt(Benchmarks.maxMs(h)));
                row.put("server_cpu_pct", Benchmarks.fmt(meter.percent(meter.serverCpuNanos)));
                row.put("rss_base_kib", Long.toString(base.rssKib()));
                row.put("rss_max_kib", Long.toString(meter.maxRss.get()));
                row.put("pss_base_kib", Long.toString(base.pssKib()));
                row.put("pss_max_kib", Long.toString(meter.maxPss.get()));
                row.put("rss_per_conn_kib", perConn(base.rssKib(), meter.maxRss.get(), subscribers));
                row.put("pss_per_conn_kib", perConn(base.pssKib(), meter.maxPss.get(), subscribers));
                row.put("rss_per_conn_after_gc_kib", jvm ? perConn(baseGcKib, endGcKib, subscribers) : row.get("rss_per_conn_kib"));
                // A JVM's RSS counts heap pages once touched, whoever holds them; the objects the
                // streams keep are the live heap they add. Judged on both, added (with a heap the JVM
                // touched up front, RSS grows only by native memory, so the sum is not a double count).
                if (jvm && baseLiveHeap >= 0 && endLiveHeap >= 0) {
                    double liveKib = (endLiveHeap - baseLiveHeap) / 1024.0 / subscribers;
                    row.put("live_heap_per_conn_kib", Benchmarks.fmt(liveKib));
                    row.put("mem_per_conn_kib", Benchmarks.fmt(Math.max(0, (meter.maxRss.get() - base.rssKib()) / (double) subscribers) + liveKib));
                } else {
                    row.put("mem_per_conn_kib", row.get(jvm ? "rss_per_conn_kib" : "pss_per_conn_kib"));
                }
                row.put("processes", Integer.toString(base.processes()));
                row.put("tool_cpu_pct", Benchmarks.fmt(meter.percent(meter.toolCpuNanos)));
                row.put("other_cpu_pct", Benchmarks.fmt(meter.percent(meter.otherCpuNanos)));
                row.put("load_avg", meter.loadAverage);
                row.put("open_ms", Long.toString(openMs));
                // every delivery of the measured writes, over the server's CPU in the same window
                long measuredDeliveries = ledger.measuredDeliveries();
                row.put("cpu_us_per_delivery", measuredDeliveries == 0 || meter.serverCpuNanos < 0 ? "n/a"
                        : Benchmarks.fmt(meter.serverCpuNanos / 1_000.0 / measuredDeliveries));
                Histogram writes = ledger.writeHistogram().copy();
                row.put("write_p50_ms", Benchmarks.fmt(Benchmarks.ms(writes, 50)));
                row.put("write_p99_ms", Benchmarks.fmt(Benchmarks.ms(writes, 99)));
                Ledger.Breakdown b = ledger.breakdown();
                if (b.startToAppend.getTotalCount() > 0) {
                    row.put("start_to_append_p99_ms", Benchmarks.fmt(b.startToAppend.getValueAtPercentile(99) / 1_000.0));
                    row.put("append_to_first_p99_ms", Benchmarks.fmt(b.appendToFirst.getValueAtPercentile(99) / 1_000.0));
                }
                row.put("spread_p99_ms", Benchmarks.fmt(b.spread.getValueAtPercentile(99) / 1_000.0));
                row.put("fsync_p50_ms", Benchmarks.fmt(fsync.ms(50)));
                row.put("fsync_p99_ms", Benchmarks.fmt(fsync.ms(99)));
                row.put("reconnects", Long.toString(pool.reconnects.sum()));
                row.put("errors", ledger.errors.isEmpty() ? "-" : ledger.errors.keySet().iterator().next().replace('\t', ' '));
            }
        }
        StringBuilder line = new StringBuilder();
        row.forEach((k, v) -> line.append(line.length() == 0 ? "" : "\t").append(k).append('=').append(v));
        System.out.println(line);
        Benchmarks.append(results, line.toString());
        LoadTool.log("%s case %s: p50 %s ms, p99 %s ms, lost %s, dup %s, server CPU %s %%, memory per connection %s KiB RSS / %s KiB PSS",
                row.get("target"), kase, row.get("p50_ms"), row.get("p99_ms"), row.get("lost"), row.get("dup"),
                row.get("server_cpu_pct"), row.get("rss_per_conn_kib"), row.get("pss_per_conn_kib"));
        System.exit(0);
    }

    private static String perConn(long base, long max, int n) {
        if (base < 0 || max < 0 || n == 0) {
            return "n/a";
        }
        return Benchmarks.fmt((max - base) / (double) n);
    }

    /** The markdown table: a row per run and, per case, ours / nchan for latency, CPU and memory. */
    static String report(List<String> lines) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (String l : lines) {
            if (l.isBlank()) {
                continue;
            }
            Map<String, String> r = new LinkedHashMap<>();
            for (String kv : l.split("\t")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    r.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            rows.add(r);
        }
        StringBuilder s = new StringBuilder();
        s.append("| case | server | subscribers | filter | msg/s | measured | writes ok / failed | deliveries expected | received | lost | dup | p50 ms | p99 ms | p99.9 ms | max ms | server CPU | server RSS base → max | RSS per conn | PSS per conn | RSS per conn, full GC before both samples | tool CPU | other CPU | load avg |\n");
        s.append("|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (Map<String, String> r : rows) {
            s.append(String.format(Locale.ROOT,
                    "| %s | %s | %,d | %s | %s | %s s | %s / %s | %,d | %,d | %s | %s | %s | %s | %s | %s | %s | %s → %s | %s KiB | %s KiB | %s KiB | %s | %s | %s |%n",
                    r.get("case"), r.get("target"), Long.parseLong(r.get("subscribers")), r.get("filter"), r.get("rate"),
                    r.get("seconds"), String.format(Locale.ROOT, "%,d", Long.parseLong(r.get("writes_ok"))), r.get("writes_failed"), Long.parseLong(r.get("expected")),
                    Long.parseLong(r.get("received")), r.get("lost"), r.get("dup"), r.get("p50_ms"), r.get("p99_ms"),
                    r.get("p999_ms"), r.get("max_ms"), pct(r.get("server_cpu_pct")),
                    Benchmarks.mib(Long.parseLong(r.get("rss_base_kib"))), Benchmarks.mib(Long.parseLong(r.get("rss_max_kib"))),
                    r.get("rss_per_conn_kib"), r.get("pss_per_conn_kib"), r.getOrDefault("rss_per_conn_after_gc_kib", "n/a"),
                    pct(r.get("tool_cpu_pct")), pct(r.get("other_cpu_pct")),
                    r.get("load_avg")));
        }
        s.append("\nRatios ours / nchan (goal: p99 ≤ 1.0, memory per connection ≤ 2.0):\n\n");
        s.append("| case | p50 | p99 | server CPU | RSS per conn | PSS per conn | ours after full GC / nchan PSS | p99 goal | memory goal (PSS as found) |\n|---|--:|--:|--:|--:|--:|--:|---|---|\n");
        for (String kase : rows.stream().map(r -> r.get("case")).distinct().toList()) {
            Map<String, String> ours = last(rows, kase, "royal-care-scheduler");
            Map<String, String> ref = last(rows, kase, "nchan");
            if (ours == null || ref == null) {
                continue;
            }
            double p99 = ratio(ours, ref, "p99_ms");
            double pss = ratio(ours, ref, "pss_per_conn_kib");
            double rss = ratio(ours, ref, "rss_per_conn_kib");
            double mem = Double.isNaN(pss) ? rss : pss;
            double gc = ratio(ours, ref, "rss_per_conn_after_gc_kib", "pss_per_conn_kib");
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", kase,
                    Benchmarks.fmt(ratio(ours, ref, "p50_ms")), Benchmarks.fmt(p99), Benchmarks.fmt(ratio(ours, ref, "server_cpu_pct")),
                    Benchmarks.fmt(rss), Benchmarks.fmt(pss), Benchmarks.fmt(gc),
                    p99 <= 1.0 ? "met" : "**missed**", mem <= 2.0 ? "met" : "**missed**"));
        }
        s.append(targets(rows));
        return s.toString();
    }

    /**
     * Issue 14's goals, each as ours / nchan from the same run: p99 ≤ 1.0 (both cases), CPU per
     * delivered event ≤ 1.0 (case a), whole-run CPU ≤ 1.5 (case b), memory per connection ≤ 2.0 (PSS),
     * streams opened in ≤ 1.5× nchan's time (case b), nothing lost, duplicated or misrouted. Then
     * where our write-to-delivery time went.
     */
    static String targets(List<Map<String, String>> rows) {
        StringBuilder s = new StringBuilder("\nIssue 14's goals, ours / nchan in this run:\n\n");
        s.append("| case | goal | nchan | ours | ours / nchan | |\n|---|---|--:|--:|--:|---|\n");
        StringBuilder where = new StringBuilder();
        for (String kase : rows.stream().map(r -> r.get("case")).distinct().toList()) {
            Map<String, String> ours = last(rows, kase, "royal-care-scheduler");
            Map<String, String> ref = last(rows, kase, "nchan");
            if (ours == null || ref == null) {
                continue;
            }
            goal(s, kase, "p99 delivery latency ≤ 1.0×", ours, ref, "p99_ms", " ms", 1.0);
            if (kase.equals("a")) {
                goal(s, kase, "server CPU per delivered event ≤ 1.0×", ours, ref, "cpu_us_per_delivery", " µs", 1.0);
            } else {
                goal(s, kase, "whole-run server CPU ≤ 1.5×", ours, ref, "server_cpu_pct", " %", 1.5);
                goal(s, kase, "all streams open in ≤ 1.5×", ours, ref, "open_ms", " ms", 1.5);
            }
            goal(s, kase, "memory per connection ≤ 2.0× (nchan: PSS; ours: RSS growth + live heap growth)", ours, ref, "mem_per_conn_kib", " KiB", 2.0);
            long bad = 0;
            for (String k : List.of("lost", "dup", "misrouted")) {
                bad += Long.parseLong(ours.getOrDefault(k, "0")) + Long.parseLong(ref.getOrDefault(k, "0"));
            }
            s.append(String.format(Locale.ROOT, "| %s | 0 lost, duplicated, misrouted | %s / %s / %s | %s / %s / %s | | %s |%n", kase,
                    ref.get("lost"), ref.get("dup"), ref.getOrDefault("misrouted", "?"),
                    ours.get("lost"), ours.get("dup"), ours.getOrDefault("misrouted", "?"), bad == 0 ? "met" : "**missed**"));
            where.append(String.format(Locale.ROOT, "| %s | %s / %s ms | %s / %s ms | %s ms | %s ms | %s / %s ms | %s / %s ms |%n", kase,
                    ours.getOrDefault("write_p50_ms", "n/a"), ours.getOrDefault("write_p99_ms", "n/a"),
                    ref.getOrDefault("write_p50_ms", "n/a"), ref.getOrDefault("write_p99_ms", "n/a"),
                    ours.getOrDefault("start_to_append_p99_ms", "n/a"), ours.getOrDefault("append_to_first_p99_ms", "n/a"),
                    ours.getOrDefault("spread_p99_ms", "n/a"), ref.getOrDefault("spread_p99_ms", "n/a"),
                    ours.getOrDefault("fsync_p50_ms", "n/a"), ours.getOrDefault("fsync_p99_ms", "n/a")));
        }
        if (!where.isEmpty()) {
            s.append("\nWhere the time went (write = the publishing request's round trip; append = the change's time in the"
                    + " log, server clock; first / spread = first subscriber's arrival, and first to last; fsync = a 4 KiB"
                    + " fsync on the machine's temporary disk, probed ten times a second during our measured run: each of our"
                    + " events waits for its commit's fsync before anyone sees it, nchan's for none):\n\n");
            s.append("| case | ours write p50 / p99 | nchan publish p50 / p99 | ours start → append p99 | ours append → first delivery p99 | spread p99 ours / nchan | fsync p50 / p99 during ours |\n");
            s.append("|---|--:|--:|--:|--:|--:|--:|\n").append(where);
        }
        return s.toString();
    }

    private static void goal(StringBuilder s, String kase, String goal, Map<String, String> ours, Map<String, String> ref,
                             String key, String unit, double limit) {
        double r = ratio(ours, ref, key);
        s.append(String.format(Locale.ROOT, "| %s | %s | %s%s | %s%s | %s | %s |%n", kase, goal,
                ref.getOrDefault(key, "n/a"), unit, ours.getOrDefault(key, "n/a"), unit, Benchmarks.fmt(r),
                Double.isNaN(r) ? "n/a" : r <= limit ? "met" : "**missed**"));
    }

    private static String pct(String v) {
        return v == null || v.equals("n/a") ? "n/a" : v + " %";
    }

    private static Map<String, String> last(List<Map<String, String>> rows, String kase, String target) {
        Map<String, String> found = null;
        for (Map<String, String> r : rows) {
            if (kase.equals(r.get("case")) && target.equals(r.get("target"))) {
                found = r;
            }
        }
        return found;
    }

    private static double ratio(Map<String, String> a, Map<String, String> b, String key) {
        return ratio(a, b, key, key);
    }

    private static double ratio(Map<String, String> a, Map<String, String> b, String keyA, String keyB) {
        try {
            double x = Double.parseDouble(a.get(keyA));
            double y = Double.parseDouble(b.get(keyB));
            return y <= 0 ? Double.NaN : x / y;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
