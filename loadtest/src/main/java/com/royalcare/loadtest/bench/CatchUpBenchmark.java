package com.royalcare.loadtest.bench;

import com.royalcare.testkit.ApiClient;
import com.royalcare.testkit.SseParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Issue 5 section 5, catch-up: a client that missed 10,000 changes comes back and resumes
 * ({@code Last-Event-ID}, what EventSource sends); how long from its connect to the last missed
 * event (target ≤ 1 s)? Also by polling ({@code /api/changes?since=}, page after page).
 *
 * <p>Two steps, so that the script can restart the server in between: {@code --step write} makes
 * the changes (availability writes through the API) and records the resume point; {@code --step
 * measure} resumes from it several times. Right after the writes the server still holds them in
 * memory (its ring keeps the last 10,000); after a restart it must read them from the database.
 *
 * <pre>java -cp jar com.royalcare.loadtest.bench.CatchUpBenchmark --url URL --step write --state FILE [--changes 10000]
 * java -cp jar com.royalcare.loadtest.bench.CatchUpBenchmark --url URL --step measure --state FILE --source memory|database [--markdown FILE]</pre>
 */
public final class CatchUpBenchmark {

    private CatchUpBenchmark() {
    }

    static final String HEADER = """
            | missed changes | served from | stream: connect → last event, 1st / median / max of runs | events | missing | dup | polling: first request → last event, 1st / median | poll requests | goal | met |
            |--:|---|--:|--:|--:|--:|--:|--:|---|---|""";

    public static void main(String[] args) throws Exception {
        Flags f = new Flags(args);
        String url = f.required("url");
        String password = f.password();
        String step = f.required("step");
        Path state = Path.of(f.required("state"));
        int changes = f.integer("changes", 10_000);
        int channels = f.integer("channels", 10);
        double rate = f.decimal("write-rate", 300);
        String source = f.string("source", "memory");
        int runs = f.integer("runs", 5);
        double goalMs = f.decimal("goal-ms", 1000);
        String markdown = f.string("markdown", null);
        f.done();
        try (RoyalCareTarget target = new RoyalCareTarget(url, "operator", password, 12)) {
            if (step.equals("write")) {
                write(target, url, state, changes, channels, rate);
            } else {
                target.setup(0);
                boolean met = measure(target, url, state, source, runs, goalMs, markdown);
                System.exit(met ? 0 : 1);
            }
        }
        System.exit(0);
    }

    private static void write(RoyalCareTarget target, String url, Path state, int changes, int channels, double rate)
            throws Exception {
        target.setup(channels);
        ApiClient api = target.api();
        long h0 = api.head();
        Ledger ledger = new Ledger(c -> 0);
        WriteDriver writer = new WriteDriver(target, ledger, Benchmarks.writeChannels(0, false, channels));
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos((long) (3 * changes / rate) + 60);
        long head = h0;
        while (head - h0 < changes && System.nanoTime() < deadline) {
            long left = changes - (head - h0);
            writer.run(rate, Math.max(1, Math.min(10, left / rate)), false);
            LoadTool.waitFor(() -> ledger.inFlight() == 0, 30_000);
            head = api.head();
        }
        if (head - h0 < changes) {
            throw new IllegalStateException("only " + (head - h0) + " changes written in time; errors: " + ledger.errors);
        }
        long since = head - changes;
        Files.writeString(state, since + " " + head + "\n");
        LoadTool.log("wrote %,d changes (seq %d..%d) in %d ms; resume point %d", head - h0, h0 + 1, head,
                LoadTool.ms(System.nanoTime() - t0), since);
    }

    private static boolean measure(RoyalCareTarget target, String url, Path state, String source, int runs, double goalMs,
                                   String markdown) throws Exception {
        String[] s = Files.readString(state).trim().split(" ");
        long since = Long.parseLong(s[0]);
        long until = Long.parseLong(s[1]);
        ApiClient api = target.api();
        List<Double> streamMs = new ArrayList<>();
        long events = 0, missing = 0, dups = 0;
        for (int run = 0; run < runs; run++) {
            SeqTrack track = new SeqTrack(since);
            SseParser parser = new SseParser(track);
            byte[] buf = new byte[64 * 1024];
            long t0 = System.nanoTime();
            try (RawStream stream = new RawStream(target.streamSpec(-1, Long.toString(since)), 0, parser, 10_000)) {
                stream.timeout(2_000);
                long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
                while (track.last() < until && System.nanoTime() < deadline) {
                    try {
                        if (stream.read(buf, buf.length) < 0) {
                            break;
                        }
                    } catch (java.net.SocketTimeoutException e) {
                        // loop re-checks the deadline
                    }
                }
            }
            double ms = track.last() >= until ? (track.lastArrivalNanos - t0) / 1e6 : Double.NaN;
            streamMs.add(ms);
            events = track.events;
            missing += track.missing + Math.max(0, until - track.last());
            dups += track.duplicates;
            LoadTool.log("stream run %d: %,d events after seq %d in %s ms (missing %d, dup %d, resets %d)", run + 1,
                    track.events, since, Benchmarks.fmt(ms), track.missing, track.duplicates, track.resets);
        }
        List<Double> pollMs = new ArrayList<>();
        int requests = 0;
        for (int run = 0; run < runs; run++) {
            long t0 = System.nanoTime();
            long position = since;
            long got = 0;
            requests = 0;
            while (position < until && requests < 1_000) {
                ApiClient.Response answer = api.get("/api/changes?since=" + position); // timed: only the text is read
                if (!answer.ok()) {
                    throw new IllegalStateException("poll after " + position + " answered " + answer);
                }
                String body = answer.text();
                requests++;
                position = Long.parseLong(Json.valueAfter(body, "seq", 0));
                got += countEvents(body);
            }
            double ms = position >= until ? (System.nanoTime() - t0) / 1e6 : Double.NaN;
            pollMs.add(ms);
            LoadTool.log("poll run %d: %,d events in %d requests, %s ms", run + 1, got, requests, Benchmarks.fmt(ms));
        }
        double first = streamMs.get(0);
        double median = median(streamMs);
        double max = streamMs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        boolean met = max <= goalMs && missing == 0 && dups == 0;
        String row = String.format(Locale.ROOT, "| %,d | %s | %s / %s / %s ms | %,d | %,d | %,d | %s / %s ms | %d | ≤ %s ms, 0 lost, 0 dup | %s |",
                until - since, source, Benchmarks.fmt(first), Benchmarks.fmt(median), Benchmarks.fmt(max), events, missing, dups,
                Benchmarks.fmt(pollMs.get(0)), Benchmarks.fmt(median(pollMs)), requests, Benchmarks.fmt(goalMs), met ? "yes" : "**no**");
        System.out.printf(Locale.ROOT, "== catch-up of %,d changes (%s) ==%nstream: connect → last event %s ms first, %s ms median, %s ms max of %d; missing %d, dup %d%n"
                        + "polling: %s ms first, %s ms median, %d requests%n%s%n",
                until - since, source, Benchmarks.fmt(first), Benchmarks.fmt(median), Benchmarks.fmt(max), runs, missing, dups,
                Benchmarks.fmt(pollMs.get(0)), Benchmarks.fmt(median(pollMs)), requests, met ? "MET" : "MISSED");
        Benchmarks.append(markdown, row);
        return met;
    }

    /** Change records in a poll answer: each carries one "type" field (the answer's own fields do not). */
    private static int countEvents(String body) {
        int n = 0;
        for (int i = body.indexOf("\"type\""); i >= 0; i = body.indexOf("\"type\"", i + 6)) {
            n++;
        }
        return n;
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.isEmpty() ? Double.NaN : v.get(v.size() / 2);
    }
}
