package com.royalcare.loadtest.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where did the time go? Summarises a JFR recording (e.g. from {@code bench/run.sh --jfr}):
 * CPU samples per thread group, the hottest methods by self and inclusive samples, and the
 * longest waits (monitor contention, parking, socket reads/writes) by stack.
 *
 * <pre>java -cp loadtest/target/royal-care-loadtest.jar com.royalcare.loadtest.bench.JfrTop server.jfr [rows] [FROM TO]</pre>
 *
 * <p>FROM and TO (ISO instants, e.g. the measured window a benchmark log prints) keep only the events
 * that started between them, so setup (creating staff costs a bcrypt each) does not drown the run.
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrTop recording.jfr [rows] [FROM TO]");
            System.exit(2);
        }
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        java.time.Instant from = args.length > 3 ? java.time.Instant.parse(args[2]) : java.time.Instant.MIN;
        java.time.Instant to = args.length > 3 ? java.time.Instant.parse(args[3]) : java.time.Instant.MAX;
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Duration> waits = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                continue;
            }
            String type = e.getEventType().getName();
            RecordedStackTrace st = e.getStackTrace();
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                threads.merge(thread == null ? "?" : thread.replaceAll("\\d+", "N"), 1, Integer::sum);
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = st.getFrames();
                self.merge(name(frames.get(0)), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    if (seen.add(name(f))) {
                        inclusive.merge(name(f), 1, Integer::sum);
                    }
                }
            } else if (type.equals("jdk.JavaMonitorEnter") || type.equals("jdk.ThreadPark")
                    || type.equals("jdk.SocketRead") || type.equals("jdk.SocketWrite")
                    || type.equals("jdk.FileForce")) {
                if (st == null) {
                    continue;
                }
                String where = firstAppFrames(st);
                if (where.contains("idleJobPoll") || where.contains("waitForTask") || where.startsWith("jdk.internal")) {
                    continue; // idle pool threads waiting for work
                }
                waits.merge(type.substring(4) + " @ " + where, e.getDuration(), Duration::plus);
            }
        }
        System.out.printf(Locale.ROOT, "%d CPU samples%n%n-- by thread%n", samples);
        print(threads, samples, rows);
        System.out.printf(Locale.ROOT, "%n-- hottest methods (self)%n");
        print(self, samples, rows);
        System.out.printf(Locale.ROOT, "%n-- hottest methods (inclusive)%n");
        print(inclusive, samples, rows * 2);
        System.out.printf(Locale.ROOT, "%n-- longest waits (total; idle pool threads left out)%n");
        waits.entrySet().stream().sorted(Map.Entry.<String, Duration>comparingByValue().reversed()).limit(rows)
                .forEach(w -> System.out.printf(Locale.ROOT, "%8d ms  %s%n", w.getValue().toMillis(), w.getKey()));
    }

    private static void print(Map<String, Integer> counts, int total, int rows) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(rows)
                .forEach(c -> System.out.printf(Locale.ROOT, "%5.1f%%  %s%n", 100.0 * c.getValue() / Math.max(1, total),
                        c.getKey()));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** The top frames, skipping JDK internals, so a wait names the code that waited. */
    private static String firstAppFrames(RecordedStackTrace st) {
        StringBuilder s = new StringBuilder();
        int n = 0;
        for (RecordedFrame f : st.getFrames()) {
            String name = name(f);
            if (name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")) {
                continue;
            }
            s.append(n == 0 ? "" : " < ").append(name.replaceAll("^(org\\.eclipse\\.jetty|com\\.royalcare\\.scheduler)\\.", ""));
            if (++n == 3) {
                break;
            }
        }
        return s.length() == 0 ? name(st.getFrames().get(0)) : s.toString();
    }
}
