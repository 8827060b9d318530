package com.royalcare.loadtest.drill;

import com.royalcare.testkit.PrometheusScrape;
import com.royalcare.testkit.ApiClient;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Small pieces both drills use: signing in, creating staff, snapshots, reading the whole change log, waiting for screens. */
final class Drills {

    static final String OPERATOR_PASSWORD = "drill-operator-pass";

    private Drills() {
    }

    static String signIn(ApiClient http, String base, String username, String password) {
        return http.signInToken(base + "/api/auth/login", username, password);
    }

    /** The password {@link #createStaff} gives an account. */
    static String passwordOf(String username) {
        return ApiClient.passwordOf(username);
    }

    /** Creates a staff member (operator token) and returns their id. */
    static long createStaff(ApiClient http, String base, String operatorToken, String username, String role, Map<String, Object> extra) {
        return http.withToken(operatorToken).createStaff(base + "/api/staff", username, role, extra);
    }

    /** The server's current slots for {@code scope}, read as the operator, with the seq they belong to. */
    record Snapshot(long seq, Map<Long, SlotView> slots) {
    }

    static Snapshot snapshot(ApiClient http, String base, String operatorToken, Scope scope) {
        String q = scope.snapshotQuery();
        JsonNode listing = http.withToken(operatorToken).getOk(base + "/api/availability" + (q.isEmpty() ? "" : "?" + q));
        return new Snapshot(listing.get("seq").asLong(), SlotView.ofItems(listing));
    }

    static long head(ApiClient http, String base, String token) {
        return http.withToken(token).getOk(base + "/api/sync/head").get("seq").asLong();
    }

    /**
     * Every change from the beginning up to the committed head ({@code /api/sync/head}, read from
     * the database), polled page after page. A poll answers from what the node has published, which
     * can trail the committed head by a moment, so it long-polls for the rest (30 s at most).
     */
    static List<JsonNode> wholeLog(ApiClient http, String base, String operatorToken) {
        long head = head(http, base, operatorToken);
        long deadline = System.currentTimeMillis() + 30_000;
        List<JsonNode> all = new ArrayList<>();
        long since = 0;
        while (since < head && System.currentTimeMillis() < deadline) {
            JsonNode page = http.withToken(operatorToken).getOk(base + "/api/changes?since=" + since + "&wait=1");
            if (page.path("reset").asBoolean(false)) throw new IllegalStateException("the change log was reset at " + since);
            for (JsonNode e : page.get("events")) all.add(e);
            since = Math.max(since, page.get("seq").asLong());
        }
        return all;
    }

    /** Seqs that are missing or repeated in {@code log} (which should hold 1..head). */
    static List<String> gaps(List<JsonNode> log, long head) {
        List<String> problems = new ArrayList<>();
        long expected = 1;
        for (JsonNode e : log) {
            long seq = e.get("seq").asLong();
            if (seq < expected) problems.add("seq " + seq + " repeated or out of order");
            else if (seq > expected) problems.add("seqs " + expected + ".." + (seq - 1) + " missing");
            expected = Math.max(expected, seq + 1);
        }
        if (expected - 1 != head) problems.add("log ends at " + (expected - 1) + " but head is " + head);
        return problems;
    }

    /** The slots the change log describes when applied from the beginning. */
    static Map<Long, SlotView> replay(List<JsonNode> log) {
        Map<Long, SlotView> slots = new HashMap<>();
        for (JsonNode e : log) {
            JsonNode data = e.get("data");
            switch (e.get("type").asText()) {
                case "availability_created", "availability_updated" -> {
                    SlotView s = SlotView.of(data);
                    slots.put(s.id(), s);
                }
                case "availability_deleted" -> slots.remove(data.get("id").asLong());
                default -> { }
            }
        }
        return slots;
    }

    /**
     * How far each screen must have got once the writes have stopped: the last change in {@code log}
     * its feed should carry. (A stream filtered to some staff hears nothing of other staff's changes,
     * not even a position mark, until the next heartbeat; so "seen the head" is too strong a test.)
     */
    static Map<Screen, Long> targets(List<? extends Screen> screens, List<JsonNode> log) {
        Map<Screen, Long> out = new HashMap<>();
        for (Screen s : screens) {
            long last = 0;
            for (JsonNode c : log) if (s.sees(c)) last = c.get("seq").asLong();
            out.put(s, last);
        }
        return out;
    }

    /**
     * Waits (polling with a deadline) until every screen has seen its target and settled; returns
     * the milliseconds from {@code since} (when quiet time began) until then, or -1 if some screens
     * did not make it within {@code timeoutMs}.
     */
    static long awaitCaughtUp(Map<Screen, Long> targets, long since, long timeoutMs) {
        long start = since;
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            boolean all = true;
            for (Map.Entry<Screen, Long> e : targets.entrySet()) {
                if (!e.getKey().caughtUp(e.getValue()) && e.getKey().failure() == null) {
                    all = false;
                    break;
                }
            }
            if (all) return System.currentTimeMillis() - start;
            if (System.currentTimeMillis() > deadline) return -1;
            ServerNode.pause(20);
        }
    }

    /** Compares each screen with a fresh snapshot of its scope; returns one line per divergent screen. */
    static List<String> divergences(ApiClient http, String base, String operatorToken, Map<Screen, Long> targets, long head) {
        Map<Scope, Snapshot> byScope = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (Screen s : targets.keySet()) {
            Snapshot snap = byScope.computeIfAbsent(s.scope, sc -> snapshot(http, base, operatorToken, sc));
            if (snap.seq() != head) out.add("the server moved on during the check (" + snap.seq() + " vs " + head + ")");
            List<String> diff = s.diff(snap.slots());
            if (s.failure() != null) out.add(s.describe());
            else if (!s.caughtUp(targets.get(s))) out.add(s.describe() + " did not reach " + targets.get(s));
            else if (!diff.isEmpty()) out.add(s.describe() + " differs in " + diff.size() + " slots, e.g. " + diff.subList(0, Math.min(3, diff.size())));
        }
        return out;
    }

    /** One metric from the server's /metrics (Prometheus text, summed over its label sets), e.g. {@code rcs_sync_streams_open}; -1 if absent. */
    static long metric(ApiClient http, String base, String name) {
        if (!(http.attempt("GET", base + "/metrics", null, Map.of()) instanceof ApiClient.Response a) || a.status() != 200) return -1;
        PrometheusScrape metrics = PrometheusScrape.parse(a.text());
        return metrics.has(name) ? (long) metrics.sum(name) : -1;
    }

    static Screen.Stats total(List<? extends Screen> screens) {
        Screen.Stats t = new Screen.Stats();
        for (Screen s : screens) t.add(s.stats());
        return t;
    }

    /** {@code NAME=value,NAME=value}: extra environment for the server processes (e.g. SYNC_CLIENT_QUEUE=50). */
    static Map<String, String> envOption(String raw) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : raw.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--server-env wants NAME=value pairs, got " + pair);
            env.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return env;
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The last lines of a drill's report: PASS or FAIL, and the first 20 problems. */
    static void appendResult(StringBuilder b, boolean passed, List<String> problems) {
        b.append("  RESULT: ").append(passed ? "PASS" : "FAIL (" + problems.size() + " problems)").append('\n');
        for (String p : problems.subList(0, Math.min(20, problems.size()))) b.append("    - ").append(p).append('\n');
    }

    /** Prints a drill's report and where its logs are, then exits 0 if it passed, 1 if not. */
    static void printAndExit(String report, boolean passed, Path workDir) {
        System.out.print(report);
        System.out.println("  (work directory with the server logs: " + workDir.toAbsolutePath() + ")");
        System.exit(passed ? 0 : 1);
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
