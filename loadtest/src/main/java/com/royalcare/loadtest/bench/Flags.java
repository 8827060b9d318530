package com.royalcare.loadtest.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --name value} / {@code --name=value} flags of the issue-5 drills ({@link CompareRun},
 * {@link StormBenchmark}, {@link SlowConsumerBenchmark}, {@link IdleMemoryBenchmark}, {@link CatchUpBenchmark}).
 * Every flag must be consumed; {@link #done()} refuses unknown ones.
 */
final class Flags {

    private final Map<String, String> values = new LinkedHashMap<>();

    Flags(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                values.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.length) {
                values.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("flag " + a + " needs a value");
            }
        }
    }

    String string(String name, String dflt) {
        String v = values.remove(name);
        return v == null ? dflt : v;
    }

    String required(String name) {
        String v = values.remove(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }

    int integer(String name, int dflt) {
        String v = values.remove(name);
        return v == null ? dflt : Integer.parseInt(v.replace("_", "").replace(",", ""));
    }

    long longValue(String name, long dflt) {
        String v = values.remove(name);
        return v == null ? dflt : Long.parseLong(v.replace("_", "").replace(",", ""));
    }

    double decimal(String name, double dflt) {
        String v = values.remove(name);
        return v == null ? dflt : Double.parseDouble(v);
    }

    boolean bool(String name, boolean dflt) {
        String v = values.remove(name);
        return v == null ? dflt : Boolean.parseBoolean(v);
    }

    /** The operator password: --password, else RCS_BENCH_PASSWORD, else INITIAL_OPERATOR_PASSWORD. */
    String password() {
        String p = values.remove("password");
        if (p == null) {
            p = System.getenv("RCS_BENCH_PASSWORD");
        }
        if (p == null) {
            p = System.getenv("INITIAL_OPERATOR_PASSWORD");
        }
        if (p == null) {
            throw new IllegalArgumentException("no password: pass --password or set RCS_BENCH_PASSWORD");
        }
        return p;
    }

    void done() {
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown flags " + values.keySet());
        }
    }
}
