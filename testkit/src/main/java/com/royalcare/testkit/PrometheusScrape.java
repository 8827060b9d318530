package com.royalcare.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of a Prometheus text exposition (format 0.0.4, what the server's {@code /metrics}
 * writes): its samples by metric name and labels, sums over label sets, and the differences and
 * histogram quantiles between two scrapes. Comment ({@code # HELP}, {@code # TYPE}) and malformed
 * lines are skipped; an optional timestamp after the value is ignored.
 */
public final class PrometheusScrape {

    /** One sample: {@code series} is the name with its labels as written, e.g. {@code cut_total{reason="lagging"}}. */
    public record Sample(String name, Map<String, String> labels, String series, double value) {
        /** Whether every given label name/value pair is among this sample's labels. */
        boolean matches(String[] labelPairs) {
            for (int i = 0; i + 1 < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(labels.get(labelPairs[i]))) return false;
            }
            return true;
        }
    }

    private static final PrometheusScrape EMPTY = new PrometheusScrape(List.of());

    private final List<Sample> samples;
    private final Map<String, Sample> bySeries = new LinkedHashMap<>();

    private PrometheusScrape(List<Sample> samples) {
        this.samples = List.copyOf(samples);
        for (Sample s : this.samples) bySeries.put(s.series(), s);
    }

    public static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            Sample s = parseLine(line);
            if (s != null) samples.add(s);
        }
        return new PrometheusScrape(samples);
    }

    /** A scrape with no samples (a target that has no metrics, or could not be read). */
    public static PrometheusScrape empty() {
        return EMPTY;
    }

    public List<Sample> samples() {
        return samples;
    }

    public boolean isEmpty() {
        return samples.isEmpty();
    }

    /** Whether any sample of metric {@code name} (with any labels) is present. */
    public boolean has(String name) {
        for (Sample s : samples) if (s.name().equals(name)) return true;
        return false;
    }

    /** The value of one series as written (e.g. {@code rcs_sync_streams_open} or {@code a{b="c"}}); NaN when absent. */
    public double value(String series) {
        Sample s = bySeries.get(series);
        return s == null ? Double.NaN : s.value();
    }

    /**
     * The sum of metric {@code name} over every series whose labels include the given name/value
     * pairs ({@code sum("jvm_memory_used_bytes", "area", "heap")}); with no pairs, over all its
     * label sets. 0 when there is none.
     */
    public double sum(String name, String... labelPairs) {
        if (labelPairs.length % 2 != 0) throw new IllegalArgumentException("labels come in name/value pairs");
        double sum = 0;
        for (Sample s : samples) if (s.name().equals(name) && s.matches(labelPairs)) sum += s.value();
        return sum;
    }

    /** {@link #sum} now minus {@link #sum} in {@code before}: what a counter counted between the two scrapes. */
    public double delta(PrometheusScrape before, String name, String... labelPairs) {
        return sum(name, labelPairs) - before.sum(name, labelPairs);
    }

    /** One series' value now minus in {@code before} (0 there when absent); NaN when absent now. */
    public double seriesDelta(PrometheusScrape before, String series) {
        Sample b = before.bySeries.get(series);
        return value(series) - (b == null ? 0 : b.value());
    }

    /**
     * The upper bound of the bucket holding quantile {@code q} of the observations made between
     * {@code before} and this scrape, for histogram {@code name} (its {@code _bucket} series); NaN
     * when it observed nothing.
     */
    public double quantile(PrometheusScrape before, String name, double q) {
        List<double[]> buckets = new ArrayList<>(); // {le, cumulative count delta}
        String bucket = name + "_bucket";
        for (Sample s : samples) {
            String le = s.labels().get("le");
            if (!s.name().equals(bucket) || le == null) continue;
            double upper = number(le);
            if (Double.isNaN(upper)) continue;
            Sample b = before.bySeries.get(s.series());
            buckets.add(new double[] {upper, s.value() - (b == null ? 0 : b.value())});
        }
        if (buckets.isEmpty()) return Double.NaN;
        buckets.sort((x, y) -> Double.compare(x[0], y[0]));
        double total = buckets.get(buckets.size() - 1)[1];
        if (total <= 0) return Double.NaN;
        for (double[] b : buckets) {
            if (b[1] >= q * total) return b[0];
        }
        return Double.POSITIVE_INFINITY;
    }

    /** {@code name[{label="value",...}] value [timestamp]}; null for comments, blanks and anything malformed. */
    private static Sample parseLine(String line) {
        int n = line.length();
        int i = 0;
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
        if (i == n || line.charAt(i) == '#') return null;
        int nameStart = i;
        while (i < n && isNameChar(line.charAt(i))) i++;
        if (i == nameStart) return null;
        String name = line.substring(nameStart, i);
        Map<String, String> labels = Map.of();
        if (i < n && line.charAt(i) == '{') {
            labels = new LinkedHashMap<>();
            i = parseLabels(line, i + 1, labels);
            if (i < 0) return null;
            labels = Collections.unmodifiableMap(labels);
        }
        String series = line.substring(nameStart, i);
        int valueStart = i;
        while (valueStart < n && (line.charAt(valueStart) == ' ' || line.charAt(valueStart) == '\t')) valueStart++;
        if (valueStart == i || valueStart == n) return null;
        int valueEnd = valueStart;
        while (valueEnd < n && line.charAt(valueEnd) != ' ' && line.charAt(valueEnd) != '\t') valueEnd++;
        double value = number(line.substring(valueStart, valueEnd));
        if (Double.isNaN(value) && !line.substring(valueStart, valueEnd).equals("NaN")) return null;
        return new Sample(name, labels, series, value);
    }

    /** Reads {@code a="x",b="y"}} from {@code i} (just after the brace); returns the index after '}', or -1. */
    private static int parseLabels(String line, int i, Map<String, String> into) {
        int n = line.length();
        while (true) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == ',')) i++;
            if (i >= n) return -1;
            if (line.charAt(i) == '}') return i + 1;
            int start = i;
            while (i < n && isNameChar(line.charAt(i))) i++;
            if (i == start || i + 1 >= n || line.charAt(i) != '=' || line.charAt(i + 1) != '"') return -1;
            String label = line.substring(start, i);
            i += 2;
            StringBuilder value = new StringBuilder();
            while (i < n && line.charAt(i) != '"') {
                char c = line.charAt(i);
                if (c == '\\' && i + 1 < n) {
                    char e = line.charAt(++i);
                    value.append(e == 'n' ? '\n' : e);
                } else {
                    value.append(c);
                }
                i++;
            }
            if (i >= n) return -1;
            into.put(label, value.toString());
            i++; // closing quote
        }
    }

    private static boolean isNameChar(char c) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** A sample value or an {@code le} bound: Go-style floats plus {@code +Inf}, {@code -Inf}, {@code NaN}; NaN if not a number. */
    private static double number(String s) {
        switch (s) {
            case "+Inf", "Inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
        }
    }
}
