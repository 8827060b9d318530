package com.royalcare.loadtest.drill;

import java.util.HashMap;
import java.util.Map;

/** {@code --name=value} command-line options with defaults; unknown names are an error. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    Args(String[] argv) {
        for (String a : argv) {
            if (!a.startsWith("--")) throw new IllegalArgumentException("expected --name=value, got " + a);
            int eq = a.indexOf('=');
            values.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
        }
    }

    String text(String name, String fallback) {
        String v = values.remove(name);
        return v == null ? fallback : v;
    }

    int integer(String name, int fallback) {
        String v = values.remove(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    long longValue(String name, long fallback) {
        String v = values.remove(name);
        return v == null ? fallback : Long.parseLong(v);
    }

    double decimal(String name, double fallback) {
        String v = values.remove(name);
        return v == null ? fallback : Double.parseDouble(v);
    }

    /** Call after reading every option: fails on a misspelt one instead of silently ignoring it. */
    void done() {
        if (!values.isEmpty()) throw new IllegalArgumentException("unknown options: " + values.keySet());
    }
}
