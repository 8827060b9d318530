package com.royalcare.loadtest.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line settings of one load run. A {@code --scenario} preset fills in the shape of one
 * of the benchmark scenarios; any explicit flag overrides it.
 */
record Options(
        String url,
        String username,
        String password,
        String scenario,
        int subscribers,
        boolean filtered,
        int staff,
        double rate,
        int warmupSeconds,
        int durationSeconds,
        int drainSeconds,
        int connectConcurrency,
        int selectors,
        String client,
        int positionsPerStaff,
        long serverPid,
        String markdownFile,
        String label,
        Goals goals) {

    /** The targets for a scenario; a missing figure (NaN / -1) means "no target". */
    record Goals(double p50Ms, double p99Ms, long maxRssMib) {
        static final Goals NONE = new Goals(Double.NaN, Double.NaN, -1);
    }

    static final String USAGE = """
            usage: java -cp royal-care-scheduler.jar com.royalcare.loadtest.bench.LoadTool [flags]
              --url URL               server base URL (default http://127.0.0.1:8080)
              --user NAME             operator to sign in as (default operator)
              --password PW           its password (default: env RCS_BENCH_PASSWORD or INITIAL_OPERATOR_PASSWORD)
              --scenario 1|2|3        preset: 1 = 1 subscriber, 20 writes/s;
                                              2 = 1,000 subscribers of everything, 50 writes/s;
                                              3 = 10,000 subscribers each filtered to one of 100 staff, 100 writes/s
              --subscribers N         SSE streams to hold open
              --filtered true|false   subscriber i watches only staff (i mod staff) via ?staffId=
              --staff S               therapists created for the run (writes go round-robin over them)
              --rate R                writes per second (POST/PATCH/DELETE /api/availability)
              --warmup SEC            writes before measuring, excluded from latency (default 10)
              --duration SEC          measured period (default 30)
              --drain SEC             max wait for late deliveries after the last write (default 15)
              --connect-concurrency C streams being opened at once (default 500)
              --selectors K           client selector threads for the streams (default 1)
              --client jetty|nio      stream client: Jetty HttpClient (default) or raw NIO (a cross-check)
              --positions P           slot positions cycled per staff member (default 12)
              --server-pid PID        sample this process's CPU and RSS (/proc)
              --markdown FILE         append a result row to this markdown file
              --label TEXT            row label (default: scenario name)
              --markdown-header       (alone) print the header of the markdown results table
            """;

    static Options parse(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw new UsageException(null);
            }
            if (!a.startsWith("--")) {
                rest.add(a);
                continue;
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                flags.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.length) {
                flags.put(a.substring(2), args[++i]);
            } else {
                throw new UsageException("flag " + a + " needs a value");
            }
        }
        if (!rest.isEmpty()) {
            throw new UsageException("unexpected arguments " + rest);
        }
        String scenario = flags.getOrDefault("scenario", "custom");
        // preset defaults
        int subscribers = 1;
        boolean filtered = false;
        int staff = 10;
        double rate = 20;
        Goals goals = Goals.NONE;
        switch (scenario) {
            case "1" -> goals = new Goals(3, Double.NaN, -1);
            case "2" -> {
                subscribers = 1_000;
                rate = 50;
                goals = new Goals(Double.NaN, 50, -1);
            }
            case "3" -> {
                subscribers = 10_000;
                filtered = true;
                staff = 100;
                rate = 100;
                goals = new Goals(Double.NaN, 25, 1024);
            }
            case "custom" -> {
            }
            default -> throw new UsageException("unknown scenario " + scenario);
        }
        String password = flags.get("password");
        if (password == null) {
            password = System.getenv("RCS_BENCH_PASSWORD");
        }
        if (password == null) {
            password = System.getenv("INITIAL_OPERATOR_PASSWORD");
        }
        if (password == null) {
            throw new UsageException("no password: pass --password or set RCS_BENCH_PASSWORD");
        }
        Options o;
        try {
            o = new Options(
                    stripSlash(flags.getOrDefault("url", "http://127.0.0.1:8080")),
                    flags.getOrDefault("user", "operator"),
                    password,
                    scenario,
                    intFlag(flags, "subscribers", subscribers),
                    Boolean.parseBoolean(flags.getOrDefault("filtered", Boolean.toString(filtered))),
                    intFlag(flags, "staff", staff),
                    Double.parseDouble(flags.getOrDefault("rate", Double.toString(rate))),
                    intFlag(flags, "warmup", 10),
                    intFlag(flags, "duration", 30),
                    intFlag(flags, "drain", 15),
                    intFlag(flags, "connect-concurrency", 500),
                    intFlag(flags, "selectors", 1),
                    flags.getOrDefault("client", "jetty"),
                    intFlag(flags, "positions", 12),
                    Long.parseLong(flags.getOrDefault("server-pid", "-1")),
                    flags.get("markdown"),
                    flags.getOrDefault("label", scenario.equals("custom") ? "custom" : "scenario " + scenario),
                    goals);
        } catch (NumberFormatException e) {
            throw new UsageException("bad number: " + e.getMessage());
        }
        for (String known : List.of("url", "user", "password", "scenario", "subscribers", "filtered", "staff", "rate",
                "warmup", "duration", "drain", "connect-concurrency", "selectors", "client", "positions", "server-pid",
                "markdown", "label")) {
            flags.remove(known);
        }
        if (!flags.isEmpty()) {
            throw new UsageException("unknown flags " + flags.keySet());
        }
        o.validate();
        return o;
    }

    private void validate() {
        if (subscribers < 0 || staff < 1 || rate <= 0 || durationSeconds < 1 || warmupSeconds < 0
                || connectConcurrency < 1 || selectors < 1 || !(client.equals("nio") || client.equals("jetty"))
                || positionsPerStaff < 1 || positionsPerStaff > 12) {
            throw new UsageException("out-of-range flag value");
        }
    }

    private static int intFlag(Map<String, String> flags, String name, int dflt) {
        String v = flags.get(name);
        return v == null ? dflt : Integer.parseInt(v.replace("_", "").replace(",", ""));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Which channel (staff index) a subscriber watches, or -1 for everything. */
    int channelOf(int subscriber) {
        return filtered ? subscriber % staff : -1;
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
