package com.royalcare.loadtest.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Issue 5 section 5, reconnect storm: N subscribers are connected and live; while writes keep
 * coming at a fixed rate, every stream is dropped at once (the tool closes all its sockets), stays
 * away for a moment, and then all reconnect at once, each resuming with {@code Last-Event-ID}
 * (what EventSource does). Reported: the time from the reconnect to the moment every subscriber
 * holds every change written before it ("all caught up"), and lost / duplicated over the whole run
 * (every write, every subscriber whose filter matches, checked by key and by sequence number).
 *
 * <pre>java -cp jar com.royalcare.loadtest.bench.StormBenchmark --url URL [--password PW] [--subscribers 10000]
 *      [--channels 100] [--filtered true] [--rate 100] [--before 10] [--outage 2] [--after 20] [--server-pid PID]
 *      [--markdown FILE]</pre>
 */
public final class StormBenchmark {

    private StormBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Flags f = new Flags(args);
        String url = f.required("url");
        String password = f.password();
        int subscribers = f.integer("subscribers", 10_000);
        int channels = f.integer("channels", 100);
        boolean filtered = f.bool("filtered", true);
        double rate = f.decimal("rate", 100);
        int before = f.integer("before", 10);
        double outage = f.decimal("outage", 2);
        int after = f.integer("after", 20);
        double goalSeconds = f.decimal("goal-seconds", 10);
        long pid = f.longValue("server-pid", -1);
        String client = f.string("client", "jetty");
        int selectors = f.integer("selectors", 1);
        String markdown = f.string("markdown", null);
        f.done();
        boolean passed = run(url, password, subscribers, channels, filtered, rate, before, outage, after, goalSeconds, pid,
                client, selectors, markdown);
        System.exit(passed ? 0 : 1);
    }

    static final String HEADER = """
            | subscribers | filter | writes/s | outage | writes during outage | deliveries missed | all reconnected after | all caught up after | goal | writes ok / failed | deliveries expected | received | lost | dup | failed reopens | p99 ms before / during recovery | server CPU | server RSS max | tool CPU | other CPU | load avg | met |
            |--:|---|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|""";

    static boolean run(String url, String password, int subscribers, int channels, boolean filtered, double rate, int before,
                       double outage, int after, double goalSeconds, long pid, String client, int selectors, String markdown)
            throws Exception {
        LoadTool.log("reconnect storm: %,d subscribers (%s), %d staff, %.0f writes/s; drop all after %d s, away %.1f s, then %d s more",
                subscribers, filtered ? "one staff each" : "everything", channels, rate, before, outage, after);
        Ledger ledger = Benchmarks.ledger(subscribers, filtered, channels);
        int[] writeChannels = Benchmarks.writeChannels(subscribers, filtered, channels);
        try (RoyalCareTarget target = new RoyalCareTarget(url, "operator", password, 12)) {
            target.setup(channels);
            try (StreamPool pool = StreamPool.create(client, target, ledger, subscribers, selectors, 500,
                    i -> Benchmarks.channelOf(i, filtered, channels))) {
                long t0 = System.nanoTime();
                pool.openAll(TimeUnit.MINUTES.toMillis(3));
                LoadTool.waitFor(() -> pool.streamsOpen.get() >= subscribers, 60_000);
                LoadTool.log("%,d of %,d streams open in %d ms", pool.streamsOpen.get(), subscribers, LoadTool.ms(System.nanoTime() - t0));
                Benchmarks.awaitReady(target, ledger, pool, filtered, writeChannels);

                WriteDriver writer = new WriteDriver(target, ledger, writeChannels);
                double total = before + outage + after;
                Thread writing = new Thread(() -> writer.run(rate, total, true), "bench-storm-writer");
                Benchmarks.Meter meter = new Benchmarks.Meter(pid).start();
                long start = System.nanoTime();
                writing.start();
                sleepUntil(start + seconds(before));
                Histogram beforeDrop = ledger.deliveryHistogram().copy();

                long drop = System.nanoTime();
                pool.dropAll();
                boolean allClosed = LoadTool.waitFor(() -> pool.streamsOpen.get() == 0, 10_000);
                LoadTool.log("dropped all streams in %d ms%s", LoadTool.ms(System.nanoTime() - drop),
                        allClosed ? "" : " (" + pool.streamsOpen.get() + " still open after 10 s)");
                sleepUntil(drop + seconds(outage));
                long reopen = System.nanoTime();
                long opensBefore = pool.openFailures.sum();
                pool.reopenAll();
                LoadTool.log("reopened %,d streams with Last-Event-ID (the tool took %d ms to issue the requests)", subscribers,
                        LoadTool.ms(System.nanoTime() - reopen));

                long allOpenAt = 0;
                Ledger.CatchUp caught = null;
                long deadline = reopen + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline) {
                    if (allOpenAt == 0 && pool.streamsOpen.get() >= subscribers) {
                        allOpenAt = System.nanoTime();
                    }
                    Ledger.CatchUp c = ledger.catchUp(reopen);
                    if (c.owed() == 0 && c.unanswered() == 0 && allOpenAt != 0) {
                        caught = c;
                        break;
                    }
                    Thread.sleep(20);
                }
                Ledger.CatchUp missed = ledger.catchUp(reopen);
                Ledger.CatchUp atDrop = ledger.catchUp(drop);
                long writesAway = missed.writes() - atDrop.writes();
                double reconnectedSeconds = allOpenAt == 0 ? Double.NaN : (allOpenAt - reopen) / 1e9;
                double caughtSeconds = caught == null ? Double.NaN
                        : Math.max(0, caught.lastArrivalNanos() - reopen) / 1e9;
                LoadTool.log("all %,d streams open again after %s s; all caught up after %s s", subscribers,
                        Benchmarks.fmt(reconnectedSeconds), Benchmarks.fmt(caughtSeconds));
                Histogram recovering = Benchmarks.between(beforeDrop, ledger.deliveryHistogram().copy());

                writing.join(TimeUnit.SECONDS.toMillis((long) total + 60));
                meter.stop();
                boolean drained = LoadTool.waitFor(() -> ledger.inFlight() == 0 && ledger.outstanding() == 0, 15_000);
                LoadTool.log("drain %s", drained ? "complete" : "TIMED OUT");
                Ledger.Totals t = ledger.totals();
                // deliveries the outage withheld: per write begun while away, its expected subscribers
                long missedDeliveries = missed.expected() - atDrop.expected();
                long failedReopens = pool.openFailures.sum() - opensBefore;
                boolean met = caughtSeconds <= goalSeconds && t.lost() == 0 && t.duplicates() + t.extra() == 0
                        && t.writesFailed() == 0 && t.writesPending() == 0;
                String row = String.format(Locale.ROOT,
                        "| %,d | %s | %.0f | %.1f s | %,d | %,d | %s s | %s s | ≤ %.0f s, 0 lost, 0 dup | %,d / %,d | %,d | %,d | %,d | %,d | %,d | %s / %s | %s %% | %s | %s %% | %s %% | %s | %s |",
                        subscribers, filtered ? "staffId (" + channels + ")" : "all", rate, outage, writesAway, missedDeliveries,
                        Benchmarks.fmt(reconnectedSeconds), Benchmarks.fmt(caughtSeconds), goalSeconds, t.writesOk(),
                        t.writesFailed() + t.writesPending(), t.expected(), t.received(), t.lost(), t.duplicates() + t.extra(),
                        failedReopens, Benchmarks.fmt(Benchmarks.ms(beforeDrop, 99)), Benchmarks.fmt(Benchmarks.ms(recovering, 99)),
                        Benchmarks.fmt(meter.percent(meter.serverCpuNanos)), Benchmarks.mib(meter.maxRss.get()),
                        Benchmarks.fmt(meter.percent(meter.toolCpuNanos)), Benchmarks.fmt(meter.percent(meter.otherCpuNanos)),
                        meter.loadAverage, met ? "yes" : "**no**");
                System.out.printf(Locale.ROOT,
                        "== reconnect storm ==%nwrites ok %,d, failed %,d, unanswered %,d; written while away %,d%n"
                                + "deliveries expected %,d, received %,d, lost %,d, duplicated %,d (by seq) + %,d (extra), resets %,d%n"
                                + "streams: %,d opens, %,d failed opens (%,d after the storm; last: %s), %,d ended by server%n"
                                + "all reconnected after %s s, all caught up after %s s (goal ≤ %.0f s)%n"
                                + "delivery p99 before the drop %s ms, from drop to caught up %s ms (max %s ms)%n"
                                + "server CPU %s %%, RSS max %s; tool CPU %s %%; other %s %%%n%s%n",
                        t.writesOk(), t.writesFailed(), t.writesPending(), writesAway, t.expected(), t.received(), t.lost(),
                        t.duplicates(), t.extra(), t.resets(), pool.opens.sum(), pool.openFailures.sum(), failedReopens,
                        pool.lastFailure(), pool.endedByServer.sum(), Benchmarks.fmt(reconnectedSeconds), Benchmarks.fmt(caughtSeconds),
                        goalSeconds, Benchmarks.fmt(Benchmarks.ms(beforeDrop, 99)), Benchmarks.fmt(Benchmarks.ms(recovering, 99)),
                        Benchmarks.fmt(Benchmarks.maxMs(recovering)), Benchmarks.fmt(meter.percent(meter.serverCpuNanos)),
                        Benchmarks.mib(meter.maxRss.get()), Benchmarks.fmt(meter.percent(meter.toolCpuNanos)),
                        Benchmarks.fmt(meter.percent(meter.otherCpuNanos)), met ? "MET" : "MISSED");
                if (!ledger.errors.isEmpty()) {
                    System.out.println("write errors: " + ledger.errors.keySet());
                }
                Benchmarks.append(markdown, row);
                return met;
            }
        }
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000));
        }
    }
}
