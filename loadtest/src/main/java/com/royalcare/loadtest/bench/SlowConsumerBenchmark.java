package com.royalcare.loadtest.bench;

import com.royalcare.testkit.ApiClient;
import com.royalcare.testkit.PrometheusScrape;
import com.royalcare.testkit.SseParser;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Issue 5 section 5, slow consumer: N healthy subscribers of everything and a steady write rate;
 * then one more client joins that reads its stream at 1 KB/s. The server must not let it hold the
 * others back (their p99 with it, compared with before and after it, may rise by at most 10 ms),
 * and must cut it — close the connection once its bounded queue overflows — so that it can resume
 * from its last id. The drill then resumes it like EventSource would (Last-Event-ID, now reading at
 * full speed) and checks it got every change exactly once: an operator watching everything must
 * see every seq of the log, so any gap is a loss and any repeat a duplicate.
 *
 * <p>Phases: A1 healthy only; B from the slow client's connect until it is cut, resumed and caught
 * up; A2 healthy only again. Healthy p99 of B is compared with the worse of A1 and A2 (a run
 * without it, taken on both sides to cancel drift from other work on the machine).
 *
 * <pre>java -cp jar com.royalcare.loadtest.bench.SlowConsumerBenchmark --url URL [--password PW] [--subscribers 1000]
 *      [--rate 50] [--phase 20] [--slow-bytes-per-second 1024] [--slow-max 420] [--server-pid PID] [--markdown FILE]</pre>
 */
public final class SlowConsumerBenchmark {

    private SlowConsumerBenchmark() {
    }

    static final String HEADER = """
            | healthy subscribers | writes/s | slow reader | healthy p99 ms A1 / with slow / A2 | p99 rise | cut by server after | client noticed after | slow read before cut | resumed after id | slow events received | missing | dup | healthy lost / dup | server cut count | server CPU | tool CPU | other CPU | load avg | met |
            |--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|""";

    public static void main(String[] args) throws Exception {
        Flags f = new Flags(args);
        String url = f.required("url");
        String password = f.password();
        int subscribers = f.integer("subscribers", 1_000);
        int channels = f.integer("channels", 10);
        double rate = f.decimal("rate", 50);
        int phase = f.integer("phase", 20);
        int slowRate = f.integer("slow-bytes-per-second", 1024);
        int slowMax = f.integer("slow-max", 420);
        // The slow client's own receive buffer: what it still reads after the server cut it. Linux would
        // let it grow to ~176 KB here, three minutes at 1 KB/s before the client even sees the cut.
        int receiveBuffer = f.integer("slow-receive-buffer", 16_384);
        double goalRiseMs = f.decimal("goal-rise-ms", 10);
        long pid = f.longValue("server-pid", -1);
        String client = f.string("client", "jetty");
        String markdown = f.string("markdown", null);
        f.done();

        LoadTool.log("slow consumer: %,d healthy subscribers of everything, %.0f writes/s; one reader at %,d B/s; phases of %d s",
                subscribers, rate, slowRate, phase);
        Ledger ledger = Benchmarks.ledger(subscribers, false, channels);
        int[] writeChannels = Benchmarks.writeChannels(subscribers, false, channels);
        try (RoyalCareTarget target = new RoyalCareTarget(url, "operator", password, 12);) {
            target.setup(channels);
            ApiClient api = target.api();
            try (StreamPool pool = StreamPool.create(client, target, ledger, subscribers, 1, 500, i -> -1)) {
                pool.openAll(TimeUnit.MINUTES.toMillis(3));
                LoadTool.waitFor(() -> pool.streamsOpen.get() >= subscribers, 60_000);
                Benchmarks.awaitReady(target, ledger, pool, false, writeChannels);

                WriteDriver writer = new WriteDriver(target, ledger, writeChannels);
                writer.run(rate, 5, false); // warm-up, not measured
                PrometheusScrape metrics0 = target.serverMetrics();
                Benchmarks.Meter meter = new Benchmarks.Meter(pid).start();
                final boolean[] stop = {false};
                Thread writing = new Thread(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2L * phase + slowMax + 120);
                    while (!stop[0] && System.nanoTime() < deadline) {
                        try {
                            writer.run(rate, 1, true);
                        } catch (RuntimeException e) {
                            LoadTool.log("writer: %s", e);
                        }
                    }
                }, "bench-slow-writer");
                writing.start();

                Thread.sleep(TimeUnit.SECONDS.toMillis(phase));
                Histogram h0 = ledger.deliveryHistogram().copy();
                LoadTool.log("A1 done: healthy p99 %s ms; slow reader connects", Benchmarks.fmt(Benchmarks.ms(h0, 99)));

                SlowResult slow = slowClient(target, api, slowRate, slowMax, receiveBuffer);
                Histogram h1 = ledger.deliveryHistogram().copy();
                LoadTool.log("B done: %s", slow);

                Thread.sleep(TimeUnit.SECONDS.toMillis(phase));
                Histogram h2 = ledger.deliveryHistogram().copy();
                stop[0] = true;
                writing.join(TimeUnit.SECONDS.toMillis(30));
                meter.stop();
                LoadTool.waitFor(() -> ledger.inFlight() == 0 && ledger.outstanding() == 0, 15_000);
                PrometheusScrape metrics1 = target.serverMetrics();
                Ledger.Totals t = ledger.totals();

                double a1 = Benchmarks.ms(h0, 99);
                double b = Benchmarks.ms(Benchmarks.between(h0, h1), 99);
                double a2 = Benchmarks.ms(Benchmarks.between(h1, h2), 99);
                double rise = b - Math.max(a1, a2);
                String cuts = new LoadTool.ServerSide(metrics0, metrics1).counter("rcs_sync_clients_cut_total");
                boolean met = rise <= goalRiseMs && slow.cutByServer && slow.serverCutAfterSeconds >= 0 && slow.missing == 0 && slow.duplicates == 0
                        && slow.caughtUp && t.lost() == 0 && t.duplicates() + t.extra() == 0;
                System.out.printf(Locale.ROOT, "== slow consumer ==%n"
                                + "healthy p99: A1 %s ms, with the slow reader %s ms, A2 %s ms → rise %s ms (goal ≤ %s ms)%n"
                                + "slow reader: %s%n"
                                + "healthy: writes ok %,d, failed %,d; deliveries expected %,d, received %,d, lost %,d, dup %,d; reconnects %,d%n"
                                + "server: clients cut for lagging %s; CPU %s %%, RSS max %s; tool CPU %s %%, other %s %%%n%s%n",
                        Benchmarks.fmt(a1), Benchmarks.fmt(b), Benchmarks.fmt(a2), Benchmarks.fmt(rise), Benchmarks.fmt(goalRiseMs), slow,
                        t.writesOk(), t.writesFailed() + t.writesPending(), t.expected(), t.received(), t.lost(),
                        t.duplicates() + t.extra(), pool.reconnects.sum(), cuts,
                        Benchmarks.fmt(meter.percent(meter.serverCpuNanos)), Benchmarks.mib(meter.maxRss.get()),
                        Benchmarks.fmt(meter.percent(meter.toolCpuNanos)), Benchmarks.fmt(meter.percent(meter.otherCpuNanos)),
                        met ? "MET" : "MISSED");
                if (!ledger.errors.isEmpty()) {
                    System.out.println("write errors: " + ledger.errors);
                }
                Benchmarks.append(markdown, String.format(Locale.ROOT,
                        "| %,d | %.0f | %,d B/s%s | %s / %s / %s | %s ms | %s | %s | %,d B (%,d events) | %,d | %,d | %,d | %,d | %,d / %,d | %s | %s %% | %s %% | %s %% | %s | %s |",
                        subscribers, rate, slowRate, receiveBuffer > 0 ? ", SO_RCVBUF " + receiveBuffer : "",
                        Benchmarks.fmt(a1), Benchmarks.fmt(b), Benchmarks.fmt(a2), Benchmarks.fmt(rise),
                        slow.serverCutAfterSeconds >= 0 ? Benchmarks.fmt(slow.serverCutAfterSeconds) + " s" : "**not cut**",
                        slow.cutByServer ? Benchmarks.fmt(slow.cutAfterSeconds) + " s" : "**not cut** (" + slow.endedHow + ")",
                        slow.bytesBeforeCut, slow.eventsBeforeCut, slow.resumedAfter, slow.events, slow.missing, slow.duplicates,
                        t.lost(), t.duplicates() + t.extra(), cuts, Benchmarks.fmt(meter.percent(meter.serverCpuNanos)),
                        Benchmarks.fmt(meter.percent(meter.toolCpuNanos)), Benchmarks.fmt(meter.percent(meter.otherCpuNanos)),
                        meter.loadAverage, met ? "yes" : "**no**"));
                System.exit(met ? 0 : 1);
            }
        }
    }

    /** The server's count of clients cut for lagging (the series carries a reason label). */
    private static double cuts(Target target) throws Exception {
        return target.serverMetrics().sum("rcs_sync_clients_cut_total");
    }

    /** What happened to the slow reader. */
    static final class SlowResult {
        boolean cutByServer;
        volatile double serverCutAfterSeconds = -1; // when the server's cut counter rose (-1: it did not)
        String endedHow = "";
        double cutAfterSeconds;
        long bytesBeforeCut;
        long eventsBeforeCut;
        long resumedAfter;
        long events;
        long missing;
        long duplicates;
        long startedAfter;
        long caughtUpTo;
        boolean caughtUp;

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "started after seq %d; cut by the server after %s s; client %s after %s s, having read %,d bytes (%,d events); resumed with Last-Event-ID %d; "
                            + "%s to seq %d; %,d events in all, %,d missing, %,d duplicated",
                    startedAfter, serverCutAfterSeconds >= 0 ? Benchmarks.fmt(serverCutAfterSeconds) : "NEVER",
                    cutByServer ? "saw the cut" : "NOT cut (" + endedHow + ")", Benchmarks.fmt(cutAfterSeconds),
                    bytesBeforeCut, eventsBeforeCut, resumedAfter, caughtUp ? "caught up" : "did NOT catch up", caughtUpTo,
                    events, missing, duplicates);
        }
    }

    /**
     * Opens the stream after the current head, reads {@code bytesPerSecond} (in ten sips a second)
     * until the server ends the connection or {@code maxSeconds} pass; then resumes at full speed
     * with the last complete event's id until it holds every change up to the head.
     */
    static SlowResult slowClient(Target target, ApiClient api, int bytesPerSecond, int maxSeconds, int receiveBuffer)
            throws Exception {
        SlowResult r = new SlowResult();
        long start = api.head();
        r.startedAfter = start;
        SeqTrack track = new SeqTrack(start);
        SseParser parser = new SseParser(track);
        byte[] buf = new byte[64 * 1024];
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(maxSeconds);
        int sip = Math.max(1, bytesPerSecond / 10);
        double cutsBefore = cuts(target);
        Thread watcher = new Thread(() -> { // the server's side of the cut, seen in its metrics
            try {
                while (cuts(target) <= cutsBefore) {
                    Thread.sleep(200);
                }
                r.serverCutAfterSeconds = (System.nanoTime() - t0) / 1e9;
            } catch (Exception stopped) {
                // interrupted when the slow reader is done, or the metrics could not be read
            }
        }, "bench-slow-cut-watcher");
        watcher.setDaemon(true);
        watcher.start();
        try (RawStream s = new RawStream(target.streamSpec(-1, Long.toString(start)), receiveBuffer, parser, 10_000)) {
            if (s.status != 200) {
                throw new IllegalStateException("slow stream answered " + s.status);
            }
            s.timeout(30_000);
            long next = System.nanoTime();
            while (System.nanoTime() < deadline) {
                int n;
                try {
                    n = s.read(buf, sip);
                } catch (IOException e) {
                    r.cutByServer = true;
                    r.endedHow = e.toString();
                    break;
                }
                if (n < 0) {
                    r.cutByServer = true;
                    r.endedHow = "end of stream";
                    break;
                }
                next += TimeUnit.MILLISECONDS.toNanos(100L * n / sip); // 1 KB/s on average, whatever each read returned
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            if (!r.cutByServer) {
                r.endedHow = "still connected after " + maxSeconds + " s";
            }
            r.cutAfterSeconds = (System.nanoTime() - t0) / 1e9;
            r.bytesBeforeCut = s.rawBytes;
        }
        watcher.join(1_000);
        watcher.interrupt();
        r.eventsBeforeCut = track.events;
        parser.resetPartial();
        r.resumedAfter = track.last();
        LoadTool.log("slow reader %s after %s s (%,d bytes, %,d events, last seq %d); resuming at full speed",
                r.cutByServer ? "cut by the server" : "not cut", Benchmarks.fmt(r.cutAfterSeconds), r.bytesBeforeCut,
                r.eventsBeforeCut, r.resumedAfter);
        // resume like EventSource: Last-Event-ID = the last complete event, now reading as fast as possible
        try (RawStream s = new RawStream(target.streamSpec(-1, Long.toString(track.last())), 0, parser, 10_000)) {
            s.timeout(2_000);
            long until = api.head();
            long resumeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (track.last() < until && System.nanoTime() < resumeDeadline) {
                try {
                    if (s.read(buf, buf.length) < 0) {
                        break;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // nothing new for 2 s: loop re-checks the deadline
                }
            }
            r.caughtUp = track.last() >= until;
            r.caughtUpTo = track.last();
        }
        r.events = track.events;
        r.missing = track.missing;
        r.duplicates = track.duplicates;
        return r;
    }
}
