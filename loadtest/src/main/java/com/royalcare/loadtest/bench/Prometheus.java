package com.royalcare.loadtest.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the Prometheus text format, and quantiles from the difference of two histogram scrapes. */
final class Prometheus {

    private Prometheus() {
    }

    /** Series (name with its labels, as written) → value. Comments and malformed lines are skipped. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            try {
                samples.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1)));
            } catch (NumberFormatException e) {
                // skip
            }
        }
        return samples;
    }

    static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        Double b = before.get(series);
        Double a = after.get(series);
        return a == null ? Double.NaN : a - (b == null ? 0 : b);
    }

    /**
     * The upper bound of the bucket holding quantile {@code q} of the observations made between the
     * two scrapes, for histogram {@code name} (its {@code _bucket} series); NaN when none.
     */
    static double quantile(Map<String, Double> before, Map<String, Double> after, String name, double q) {
        List<double[]> buckets = new ArrayList<>(); // {le, cumulative count delta}
        String prefix = name + "_bucket{";
        for (Map.Entry<String, Double> e : after.entrySet()) {
            String series = e.getKey();
            if (!series.startsWith(prefix)) {
                continue;
            }
            int le = series.indexOf("le=\"");
            if (le < 0) {
                continue;
            }
            String bound = series.substring(le + 4, series.indexOf('"', le + 4));
            double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
            buckets.add(new double[] {upper, e.getValue() - before.getOrDefault(series, 0.0)});
        }
        if (buckets.isEmpty()) {
            return Double.NaN;
        }
        buckets.sort((x, y) -> Double.compare(x[0], y[0]));
        double total = buckets.get(buckets.size() - 1)[1];
        if (total <= 0) {
            return Double.NaN;
        }
        for (double[] b : buckets) {
            if (b[1] >= q * total) {
                return b[0];
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
