package com.royalcare.loadtest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.HdrHistogram.Histogram;

/** Pieces shared by the issue-5 drills and the nchan comparison (same package as the load tool they reuse). */
public final class Benchmarks {

    private Benchmarks() {
    }

    /** Prints the markdown table header of one drill: storm, slow, idle or catchup (for the scripts). */
    public static void main(String[] args) {
        String header = switch (args.length == 1 ? args[0] : "") {
            case "storm" -> StormBenchmark.HEADER;
            case "slow" -> SlowConsumerBenchmark.HEADER;
            case "idle" -> IdleMemoryBenchmark.HEADER;
            case "catchup" -> CatchUpBenchmark.HEADER;
            default -> throw new IllegalArgumentException("usage: Benchmarks storm|slow|idle|catchup");
        };
        System.out.println(header);
    }

    /** Subscriber i watches channel i mod channels, or everything (-1). */
    static int channelOf(int subscriber, boolean filtered, int channels) {
        return filtered ? subscriber % channels : -1;
    }

    static int[] perChannel(int subscribers, boolean filtered, int channels) {
        int[] n = new int[channels];
        for (int i = 0; i < subscribers; i++) {
            int c = channelOf(i, filtered, channels);
            if (c >= 0) {
                n[c]++;
            }
        }
        return n;
    }

    /** A ledger expecting, per write on channel c, every subscriber (unfiltered) or those of channel c. */
    static Ledger ledger(int subscribers, boolean filtered, int channels) {
        int[] per = perChannel(subscribers, filtered, channels);
        return new Ledger(c -> filtered ? per[c] : subscribers);
    }

    /** Channels writes go to: every one with a subscriber (all of them when unfiltered). */
    static int[] writeChannels(int subscribers, boolean filtered, int channels) {
        int[] per = perChannel(subscribers, filtered, channels);
        return IntStream.range(0, channels).filter(c -> !filtered || per[c] > 0 || subscribers == 0).toArray();
    }

    /** Marker writes until every subscriber has seen one (bounded: 60 rounds of 2 s). */
    static void awaitReady(Target target, Ledger ledger, StreamPool pool, boolean filtered, int[] writeChannels)
            throws InterruptedException {
        int n = pool.size();
        if (n == 0) {
            return;
        }
        long t0 = System.nanoTime();
        int[] markerChannels = filtered ? writeChannels : new int[] {0};
        for (int round = 1; round <= 60; round++) {
            for (int c : markerChannels) {
                target.write(c, false, true, ledger);
            }
            LoadTool.waitFor(() -> pool.ready() >= n && ledger.inFlight() == 0, 2_000);
            if (pool.ready() >= n) {
                LoadTool.log("all %,d subscribers live after %d marker round(s), %d ms", n, round,
                        LoadTool.ms(System.nanoTime() - t0));
                return;
            }
            LoadTool.log("marker round %d: %,d of %,d subscribers live, %,d streams open", round, pool.ready(), n,
                    pool.streamsOpen.get());
        }
        java.util.Map<Integer, Integer> byChannel = new java.util.TreeMap<>();
        for (StreamPool.Subscriber s : pool.subscribers) {
            if (!s.markerSeen) {
                byChannel.merge(s.channel, 1, Integer::sum);
            }
        }
        throw new IllegalStateException("only " + pool.ready() + " of " + n + " subscribers received events (not live, by channel: "
                + byChannel + "); last stream failure: " + pool.lastFailure() + "; write errors: " + ledger.errors.keySet());
    }

    /**
     * Samples a server process tree's memory every 0.5 s (highest RSS and PSS seen) and its CPU,
     * and the machine's, between {@link #start} and {@link #stop}.
     */
    static final class Meter {
        private final long pid;
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-proc-sampler");
            t.setDaemon(true);
            return t;
        });
        final AtomicLong maxRss = new AtomicLong(-1);
        final AtomicLong maxPss = new AtomicLong(-1);
        private long cpu0;
        private long tool0;
        private long machine0;
        private long t0;
        long wallNanos;
        long serverCpuNanos = -1;
        long toolCpuNanos;
        long otherCpuNanos = -1;
        String loadAverage;

        Meter(long pid) {
            this.pid = pid;
        }

        Meter start() {
            loadAverage = loadAverage();
            ProcTree.Sample s = ProcTree.Sample.of(pid);
            cpu0 = s.cpuNanos();
            tool0 = ProcStats.selfCpuNanos();
            machine0 = ProcStats.machineBusyNanos();
            t0 = System.nanoTime();
            if (pid > 0) {
                sampler.scheduleAtFixedRate(() -> {
                    ProcTree.Sample m = ProcTree.Sample.of(pid);
                    maxRss.accumulateAndGet(m.rssKib(), Math::max);
                    maxPss.accumulateAndGet(m.pssKib(), Math::max);
                }, 0, 500, TimeUnit.MILLISECONDS);
            }
            return this;
        }

        Meter stop() {
            wallNanos = System.nanoTime() - t0;
            sampler.shutdownNow();
            ProcTree.Sample s = ProcTree.Sample.of(pid);
            maxRss.accumulateAndGet(s.rssKib(), Math::max);
            maxPss.accumulateAndGet(s.pssKib(), Math::max);
            serverCpuNanos = pid > 0 && cpu0 >= 0 ? s.cpuNanos() - cpu0 : -1;
            toolCpuNanos = ProcStats.selfCpuNanos() - tool0;
            long machine = ProcStats.machineBusyNanos() - machine0;
            otherCpuNanos = machine0 < 0 ? -1 : machine - toolCpuNanos - Math.max(0, serverCpuNanos);
            return this;
        }

        double percent(long cpuNanos) {
            return cpuNanos < 0 ? Double.NaN : 100.0 * cpuNanos / wallNanos;
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** ms with two decimals below 100, whole above; "n/a" for NaN. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    static double maxMs(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
    }

    /** Deliveries recorded between two copies of a ledger's histogram. */
    static Histogram between(Histogram before, Histogram after) {
        Histogram d = after.copy();
        d.subtract(before);
        return d;
    }

    static String mib(long kib) {
        return kib < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
    }

    static void append(String file, String text) throws IOException {
        if (file == null) {
            return;
        }
        Files.writeString(Path.of(file), text.endsWith("\n") ? text : text + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
