package com.royalcare.loadtest.drill;

import com.royalcare.testkit.ApiClient;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The crash drill: writers create, update and delete slots through the API in a loop while a server
 * process is killed with SIGKILL at random moments and started again on the same port; stream and
 * polling screens follow the change feed throughout and reconnect across the restarts.
 *
 * <p>Afterwards it proves, from the client's records alone and the server's final answers:
 * <ul>
 *   <li>every write that was acknowledged (2xx) is in the change log with exactly its content, once;</li>
 *   <li>no write that was refused (4xx/5xx) or never sent is, anywhere;</li>
 *   <li>each slot's final state is its last acknowledged write — or a later write whose answer was
 *       lost in a kill ("unknown": either outcome is accepted, and counted);</li>
 *   <li>every write carries an {@code Idempotency-Key}; a create whose answer was lost is sent again
 *       with the same key once a node answers, so its outcome becomes known (the server answers a
 *       committed one with its first answer and stores nothing twice). Updates and deletes whose
 *       answer was lost stay "unknown": the server honours keys on creates only;</li>
 *   <li>the change log holds every seq from 1 to the head, and replaying it gives exactly the table;</li>
 *   <li>every screen's state equals a fresh snapshot of its scope, with no duplicate or missing event.</li>
 * </ul>
 *
 * <p>Modes: SQLite (one node, killed), and PostgreSQL with two nodes on one database where the second
 * node is killed and clients fail over to the first.
 */
public final class CrashDrill {

    enum Mode { SQLITE, POSTGRES }

    record Options(Mode mode, String jdbcUrl, String dbUser, int kills, long minGapMs, long maxGapMs, int writers,
                   int streams, int pollers, long tailMs, Map<String, String> serverEnv, Path workDir,
                   List<String> serverCommand, long seed) {
    }

    record Report(Mode mode, int nodes, int kills, long attempted, long acknowledged, long found, long rejected,
                  long rejectedFound, long unknown, long unknownCommitted, long retried, long retriedReplayed, long notSent,
                  long serverErrors, long head,
                  long gaps, int screens, int divergences, Screen.Stats screenStats, long catchUpMs, long durationMs,
                  List<String> problems) {

        boolean passed() {
            return problems.isEmpty();
        }

        String format() {
            StringBuilder b = new StringBuilder();
            b.append("Crash drill — ").append(mode == Mode.SQLITE ? "SQLite, 1 node" : "PostgreSQL, " + nodes + " nodes (one killed)")
                    .append(", ").append(durationMs / 1000.0).append(" s\n");
            b.append("  SIGKILLs:            ").append(kills).append('\n');
            b.append("  writes attempted:    ").append(attempted).append('\n');
            b.append("    acknowledged 2xx:  ").append(acknowledged).append(" — found in the database: ").append(found).append('\n');
            b.append("    refused 4xx/5xx:   ").append(rejected).append(" (5xx: ").append(serverErrors)
                    .append(") — found in the database: ").append(rejectedFound).append('\n');
            b.append("    unknown (answer lost in a kill): ").append(unknown).append(" — committed: ").append(unknownCommitted)
                    .append(", not committed: ").append(unknown - unknownCommitted).append('\n');
            b.append("    lost creates retried with their Idempotency-Key: ").append(retried).append(" — now known: ").append(retried)
                    .append(" (").append(retriedReplayed).append(" had committed and were answered from the key, ")
                    .append(retried - retriedReplayed).append(" ran on the retry)\n");
            b.append("    not sent (connection refused): ").append(notSent).append('\n');
            b.append("  change log: seq 1..").append(head).append(", gaps/repeats: ").append(gaps).append('\n');
            b.append("  screens: ").append(screens).append(" (").append(screenStats.applied).append(" events applied, ")
                    .append(screenStats.connects).append(" stream connects, ").append(screenStats.polls).append(" polls, ").append(screenStats.drops).append(" dropped by kills, ")
                    .append(screenStats.resets).append(" resets) — caught up in ").append(catchUpMs).append(" ms")
                    .append(", divergent: ").append(divergences)
                    .append(", duplicates/gaps/protocol errors: ").append(screenStats.violations()).append('\n');
            Drills.appendResult(b, passed(), problems);
            return b.toString();
        }
    }

    /** Six months ahead: therapists and drivers may write from today up to a year ahead (issue 11). */
    private static final LocalDate FIRST_DAY = LocalDate.now(java.time.ZoneOffset.UTC).plusMonths(6);
    private static final int DAYS = 10;

    private final Options options;
    private final ApiClient http;
    private final ExecutorService clientPool;
    private final ScheduledExecutorService timer;
    private final List<ServerNode> nodes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private volatile boolean writing = true;

    CrashDrill(Options options) {
        this.options = options;
        this.clientPool = Executors.newFixedThreadPool(3, Drills.daemon("drill-http"));
        this.timer = Executors.newScheduledThreadPool(1, Drills.daemon("drill-timer"));
        this.http = new ApiClient(ApiClient.newHttpClient(clientPool), null, null, Duration.ofSeconds(20));
    }

    public static void main(String[] argv) {
        Args a = new Args(argv);
        Mode mode = Mode.valueOf(a.text("mode", "sqlite").toUpperCase());
        String jar = a.text("jar", "server/target/royal-care-scheduler.jar");
        String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Options o = new Options(mode, a.text("jdbc-url", null), a.text("db-user", "postgres"),
                a.integer("kills", 8), a.longValue("min-gap-ms", 1500), a.longValue("max-gap-ms", 5000),
                a.integer("writers", 4), a.integer("streams", 4), a.integer("pollers", 2), a.longValue("tail-ms", 3000),
                Drills.envOption(a.text("server-env", "")),
                Path.of(a.text("work-dir", "target/drills/crash-" + mode.name().toLowerCase() + "-" + stamp)),
                ServerNode.jarCommand(Path.of(jar), List.of(a.text("server-jvm", "-Xmx384m").split(" "))),
                a.longValue("seed", System.nanoTime()));
        a.done();
        if (mode == Mode.POSTGRES && o.jdbcUrl() == null) throw new IllegalArgumentException("--jdbc-url is required for --mode=postgres");
        Report r = new CrashDrill(o).run();
        Drills.printAndExit(r.format(), r.passed(), o.workDir());
    }

    Report run() {
        long started = System.currentTimeMillis();
        Drills.createDirectories(options.workDir());
        System.out.println("crash drill: mode " + options.mode() + ", seed " + options.seed() + ", work dir " + options.workDir());
        List<Writer> writers = new ArrayList<>();
        List<Screen> screens = new ArrayList<>();
        int kills = 0;
        try {
            startNodes();
            String base = nodes.get(0).baseUrl();
            String operator = Drills.signIn(http, base, "operator", Drills.OPERATOR_PASSWORD);
            List<String> urls = nodes.stream().map(ServerNode::baseUrl).toList();
            Random seeds = new Random(options.seed());
            for (int i = 0; i < options.writers(); i++) {
                String user = "crash-w" + i;
                long id = Drills.createStaff(http, base, operator, user, "therapist", Map.of());
                writers.add(new Writer(i, id, Drills.signIn(http, base, user, Drills.passwordOf(user)), urls, new Random(seeds.nextLong())));
            }
            screens.addAll(screens(base, urls, writers));
            screens.forEach(Screen::start);
            List<Thread> threads = new ArrayList<>();
            for (Writer w : writers) {
                Thread t = new Thread(w, "drill-writer-" + w.index);
                t.start();
                threads.add(t);
            }
            ServerNode victim = nodes.get(nodes.size() - 1); // PostgreSQL: the second node; the first stays up
            Random chaos = new Random(seeds.nextLong());
            for (int k = 0; k < options.kills(); k++) {
                long gap = options.minGapMs() + (long) (chaos.nextDouble() * (options.maxGapMs() - options.minGapMs()));
                ServerNode.pause(gap); // the drill's schedule: a random moment for the next kill
                victim.kill();
                kills++;
                victim.start(Duration.ofSeconds(120));
                for (Screen sc : screens) if (sc.homeIs(victim.baseUrl())) sc.goHome(); // a balancer sending them back
                System.out.println("  kill " + kills + " of " + victim.name() + " after " + gap + " ms; restarted");
            }
            ServerNode.pause(options.tailMs()); // keep writing a little after the last restart
            writing = false;
            for (Thread t : threads) t.join(60_000);
            long quiet = System.currentTimeMillis();

            long head = Drills.head(http, base, operator);
            List<JsonNode> log = Drills.wholeLog(http, base, operator);
            Map<Screen, Long> targets = Drills.targets(screens, log);
            long catchUp = Drills.awaitCaughtUp(targets, quiet, 60_000);
            List<String> divergent = Drills.divergences(http, base, operator, targets, head);
            problems.addAll(divergent);
            Screen.Stats stats = Drills.total(screens);
            if (stats.violations() > 0) problems.add("screens saw " + stats.duplicates + " duplicates, " + stats.gaps + " gaps, "
                    + stats.backwards + " backward ids, " + stats.protocolErrors + " protocol errors");
            screens.forEach(Screen::stop);

            List<String> gaps = Drills.gaps(log, head);
            problems.addAll(gaps);
            Drills.Snapshot table = Drills.snapshot(http, base, operator, Scope.ALL);
            if (table.seq() != head) problems.add("head moved after the writers stopped: " + head + " -> " + table.seq());
            Map<Long, SlotView> replayed = Drills.replay(log);
            if (!replayed.equals(table.slots())) problems.add("replaying the change log does not give the table: " + firstDifference(replayed, table.slots()));
            Verdict v = verify(writers, log, table.slots());
            return new Report(options.mode(), nodes.size(), kills, v.attempted, v.acknowledged, v.found, v.rejected, v.rejectedFound,
                    v.unknown, v.unknownCommitted, v.retried, v.retriedReplayed, v.notSent, v.serverErrors, head, gaps.size(), screens.size(), divergent.size(),
                    stats, catchUp, System.currentTimeMillis() - started, List.copyOf(problems));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            writing = false;
            screens.forEach(Screen::stop);
            nodes.forEach(ServerNode::stop);
            timer.shutdownNow();
            clientPool.shutdownNow();
        }
    }

    private void startNodes() {
        int count = options.mode() == Mode.POSTGRES ? 2 : 1;
        for (int i = 0; i < count; i++) {
            String name = "node-" + (char) ('a' + i);
            Map<String, String> env = new HashMap<>();
            env.put("DATA_DIR", options.workDir().resolve(name + "-data").toString());
            env.put("INITIAL_OPERATOR_PASSWORD", Drills.OPERATOR_PASSWORD);
            env.put("PASSWORD_COST", "4");
            env.put("SYNC_STREAMS_PER_USER", "100000"); // the screens share a few accounts; the per-user cap is tested elsewhere
            env.putAll(options.serverEnv());
            if (options.mode() == Mode.POSTGRES) {
                env.put("DATABASE_URL", options.jdbcUrl());
                env.put("DATABASE_USER", options.dbUser());
            }
            ServerNode node = new ServerNode(name, options.serverCommand(), env, ServerNode.freePort(), options.workDir(), http);
            node.start(Duration.ofSeconds(120)); // one after the other: the first migrates the schema
            nodes.add(node);
        }
    }

    /** Operator screens (everything, and one staff member), therapist screens (their own), on streams and polling. */
    private List<Screen> screens(String base, List<String> urls, List<Writer> writers) {
        List<Screen> out = new ArrayList<>();
        for (int i = 0; i < options.streams() + options.pollers(); i++) {
            boolean poll = i >= options.streams();
            int kind = poll ? (i - options.streams()) % 2 : i % 4;
            String token;
            Scope scope;
            boolean operator;
            Writer w = writers.get(i % writers.size());
            switch (kind) {
                case 0, 1 -> {
                    token = Drills.signIn(http, base, "operator", Drills.OPERATOR_PASSWORD);
                    scope = Scope.ALL;
                    operator = true;
                }
                case 2 -> {
                    token = Drills.signIn(http, base, "operator", Drills.OPERATOR_PASSWORD);
                    scope = Scope.staff(w.staffId);
                    operator = true;
                }
                default -> {
                    token = Drills.signIn(http, base, "crash-w" + w.index, Drills.passwordOf("crash-w" + w.index));
                    scope = new Scope(w.staffId, null, null, false);
                    operator = false;
                }
            }
            String name = (poll ? "poll-" : "stream-") + i;
            out.add(poll ? new PollScreen(name, token, scope, operator, urls, i, http, timer, 5)
                    : new StreamScreen(name, token, scope, operator, urls, i, http, timer));
        }
        return out;
    }

    // ---- writers ------------------------------------------------------------------------------

    enum Kind { CREATE, PUT, PATCH, DELETE }

    enum Result { ACK, REJECTED, UNKNOWN, NOT_SENT }

    /** One write as the client knows it. {@code fields} is what it asked for (date, start, end, available, note). */
    static final class Write {
        final int writer;
        final int n;
        final Kind kind;
        Long slotId;
        final String note;
        final Map<String, Object> fields;
        /** A write that must be refused whatever the state (stale version, empty interval). */
        final boolean mustFail;
        Long ifMatch;
        Result result;
        int status;
        /** Sent with every attempt of this write. */
        final String key = java.util.UUID.randomUUID().toString();
        /** Its first answer was lost; it was sent again with the same key. */
        boolean retried;
        /** The retry's answer came from the key: the first attempt had committed. */
        boolean replayed;

        Write(int writer, int n, Kind kind, Long slotId, String note, Map<String, Object> fields, boolean mustFail) {
            this.writer = writer;
            this.n = n;
            this.kind = kind;
            this.slotId = slotId;
            this.note = note;
            this.fields = fields;
            this.mustFail = mustFail;
        }

        @Override
        public String toString() {
            return kind + " #" + writer + "." + n + (slotId == null ? "" : " slot " + slotId) + " " + fields + " -> " + result
                    + (status > 0 ? " " + status : "");
        }
    }

    /** What a writer believes about one of its slots (refreshed from the server after any doubt). */
    private record Known(long id, long version, String date, String start, String end, boolean available) {
        static Known of(JsonNode s) {
            return new Known(s.get("id").asLong(), s.get("version").asLong(), s.get("date").asText(), s.get("start").asText(),
                    s.get("end").asText(), s.get("available").asBoolean());
        }
    }

    /** One writer: a therapist changing their own slots, one request at a time, recording every outcome. */
    private final class Writer implements Runnable {
        final int index;
        final long staffId;
        final String token;
        final List<String> urls;
        final Random random;
        final List<Write> history = new ArrayList<>();
        final Map<Long, Known> mine = new TreeMap<>();
        final int home;
        int node;
        long homeAgainAt;
        int n;
        boolean doubt;

        Writer(int index, long staffId, String token, List<String> urls, Random random) {
            this.index = index;
            this.staffId = staffId;
            this.token = token;
            this.urls = urls;
            this.random = random;
            this.home = index % urls.size();
            this.node = home;
        }

        /** After a refused connection: use the next node for a second, then try home again. */
        private void failover() {
            node = (node + 1) % urls.size();
            homeAgainAt = System.currentTimeMillis() + 1000;
        }

        private String base() {
            if (node != home && System.currentTimeMillis() >= homeAgainAt) node = home;
            return urls.get(node);
        }

        @Override
        public void run() {
            while (writing) {
                if (doubt && !resync()) {
                    ServerNode.pause(100); // the server is down: try again shortly
                    continue;
                }
                Write w = next();
                execute(w);
                history.add(w);
            }
        }

        /** Reloads this writer's slots from the server (after a lost answer or a refusal, our picture may be stale). */
        private boolean resync() {
            ApiClient.Outcome o = http.withToken(token).attempt("GET", base() + "/api/availability?staffId=" + staffId, null, Map.of());
            if (o instanceof ApiClient.Response a && a.status() == 200) {
                mine.clear();
                for (JsonNode s : a.json().get("items")) mine.put(s.get("id").asLong(), Known.of(s));
                doubt = false;
                return true;
            }
            if (!(o instanceof ApiClient.Response)) failover();
            return false;
        }

        private Write next() {
            n++;
            String note = "crash-w" + index + "-" + n;
            if (mine.isEmpty()) return create(note, false);
            Known k = pick();
            double r = random.nextDouble();
            if (r < 0.30) return create(note, false);
            if (r < 0.50) return patch(k, note);
            if (r < 0.65) return put(k, note, random.nextDouble() < 0.7 ? k.version() : null, false);
            if (r < 0.80) return delete(k, random.nextBoolean() ? k.version() : null, false);
            return switch (random.nextInt(4)) {
                case 0 -> create(note, true);                          // an exact copy of a slot we have: 409 OVERLAP
                case 1 -> put(k, note, k.version() + 1000, true);      // stale version: 412
                case 2 -> new Write(index, n, Kind.PATCH, k.id(), note,
                        fields(k.date(), "10:00", "10:00", k.available(), note), true); // empty interval: 400
                default -> delete(k, k.version() + 1000, true);        // stale version: 412
            };
        }

        private Known pick() {
            List<Known> all = new ArrayList<>(mine.values());
            return all.get(random.nextInt(all.size()));
        }

        private Write create(String note, boolean copyOfExisting) {
            if (copyOfExisting) {
                Known k = pick();
                return new Write(index, n, Kind.CREATE, null, note, fields(k.date(), k.start(), k.end(), k.available(), note), false);
            }
            return new Write(index, n, Kind.CREATE, null, note, randomTimes(note), false);
        }

        private Write put(Known k, String note, Long ifMatch, boolean mustFail) {
            Write w = new Write(index, n, Kind.PUT, k.id(), note, randomTimes(note), mustFail);
            w.ifMatch = ifMatch;
            return w;
        }

        private Write patch(Known k, String note) {
            Map<String, Object> f = new LinkedHashMap<>();
            double r = random.nextDouble();
            if (r < 0.3) f.put("date", FIRST_DAY.plusDays(random.nextInt(DAYS)).toString());
            else if (r < 0.6) f.put("available", !k.available());
            else {
                Map<String, Object> t = randomTimes(note);
                f.put("start", t.get("start"));
                f.put("end", t.get("end"));
            }
            f.put("note", note);
            Write w = new Write(index, n, Kind.PATCH, k.id(), note, f, false);
            if (random.nextBoolean()) w.ifMatch = k.version();
            return w;
        }

        private Write delete(Known k, Long ifMatch, boolean mustFail) {
            Write w = new Write(index, n, Kind.DELETE, k.id(), null, Map.of(), mustFail);
            w.ifMatch = ifMatch;
            return w;
        }

        private Map<String, Object> randomTimes(String note) {
            LocalTime start = LocalTime.of(0, 0).plusMinutes(30L * random.nextInt(48));
            LocalTime end = start.plusMinutes(30L * (1 + random.nextInt(6))); // may run past midnight
            return fields(FIRST_DAY.plusDays(random.nextInt(DAYS)).toString(), start.toString(), end.toString(),
                    random.nextDouble() < 0.8, note);
        }

        private void execute(Write w) {
            ApiClient.Outcome o = send(w);
            if (o instanceof ApiClient.Lost && w.kind == Kind.CREATE) o = retryWithKey(w);
            record(w, o);
        }

        /**
         * The answer to a create was lost (the node died mid-request): send it again, with the same
         * key, until a node answers. The answer is the first one if the create had committed, or a
         * fresh one if it had not; either way it is known and stored once.
         */
        private ApiClient.Outcome retryWithKey(Write w) {
            w.retried = true;
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                ServerNode.pause(200); // the node is restarting: try again shortly
                ApiClient.Outcome o = send(w);
                if (o instanceof ApiClient.NotSent) failover();
                if (o instanceof ApiClient.Response a && a.status() != 503) {
                    w.replayed = a.ok() && a.header("Idempotent-Replayed") != null;
                    return o;
                }
            }
            w.retried = false;
            return new ApiClient.Lost(new IllegalStateException("no node answered the retry within 120 s"));
        }

        private ApiClient.Outcome send(Write w) {
            String base = base();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Idempotency-Key", w.key);
            if (w.ifMatch != null) headers.put("If-Match", "\"" + w.ifMatch + "\"");
            return switch (w.kind) {
                case CREATE -> {
                    Map<String, Object> body = new LinkedHashMap<>(w.fields);
                    yield http.withToken(token).attempt("POST", base + "/api/availability", body, headers);
                }
                case PUT -> http.withToken(token).attempt("PUT", base + "/api/availability/" + w.slotId, w.fields, headers);
                case PATCH -> http.withToken(token).attempt("PATCH", base + "/api/availability/" + w.slotId, w.fields, headers);
                case DELETE -> http.withToken(token).attempt("DELETE", base + "/api/availability/" + w.slotId, null, headers);
            };
        }

        private void record(Write w, ApiClient.Outcome o) {
            if (o instanceof ApiClient.Response a) {
                w.status = a.status();
                if (a.ok()) {
                    w.result = Result.ACK;
                    if (w.kind == Kind.DELETE) {
                        mine.remove(w.slotId);
                    } else {
                        Known k = Known.of(a.json());
                        if (w.kind == Kind.CREATE) w.slotId = k.id();
                        mine.put(k.id(), k);
                    }
                } else {
                    w.result = Result.REJECTED;
                    if (a.status() != 400) doubt = true; // 404/409/412: someone's picture is stale; reload to be sure
                    if (a.status() == 503) doubt = true;
                }
            } else if (o instanceof ApiClient.NotSent) {
                w.result = Result.NOT_SENT;
                failover();
                doubt = true;
            } else {
                w.result = Result.UNKNOWN;
                doubt = true;
            }
        }
    }

    private static Map<String, Object> fields(String date, String start, String end, boolean available, String note) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("date", date);
        f.put("start", start);
        f.put("end", end);
        f.put("available", available);
        f.put("note", note);
        return f;
    }

    // ---- verification -------------------------------------------------------------------------

    private static final class Verdict {
        long attempted;
        long acknowledged;
        long found;
        long rejected;
        long rejectedFound;
        long unknown;
        long unknownCommitted;
        long retried;
        long retriedReplayed;
        long notSent;
        long serverErrors;
    }

    private Verdict verify(List<Writer> writers, List<JsonNode> log, Map<Long, SlotView> table) {
        Map<String, List<JsonNode>> byNote = new HashMap<>();
        Map<Long, Integer> deletes = new HashMap<>();
        for (JsonNode e : log) {
            String type = e.get("type").asText();
            JsonNode data = e.get("data");
            if (type.equals("availability_created") || type.equals("availability_updated")) {
                byNote.computeIfAbsent(data.path("note").asText(""), k -> new ArrayList<>()).add(e);
            } else if (type.equals("availability_deleted")) {
                deletes.merge(data.get("id").asLong(), 1, Integer::sum);
            }
        }
        byNote.forEach((note, events) -> {
            if (events.size() > 1) problems.add("write " + note + " is in the change log " + events.size() + " times");
        });
        deletes.forEach((id, count) -> {
            if (count > 1) problems.add("slot " + id + " was deleted " + count + " times");
        });

        Verdict v = new Verdict();
        Map<Long, List<Write>> bySlot = new TreeMap<>();
        Set<String> ourNotes = new HashSet<>();
        for (Writer w : writers) {
            for (Write x : w.history) {
                v.attempted++;
                if (x.retried) v.retried++;
                if (x.replayed) v.retriedReplayed++;
                if (x.note != null) ourNotes.add(x.note);
                List<JsonNode> events = x.note == null ? List.of() : byNote.getOrDefault(x.note, List.of());
                if (x.kind == Kind.CREATE && x.slotId == null && !events.isEmpty()) x.slotId = events.get(0).get("data").get("id").asLong();
                boolean inLog = x.kind == Kind.DELETE ? false : !events.isEmpty();
                switch (x.result) {
                    case ACK -> {
                        v.acknowledged++;
                        String why = acknowledgedProblem(x, events, deletes);
                        if (why == null) v.found++;
                        else problems.add("acknowledged " + x + ": " + why);
                        if (x.mustFail) problems.add("a write that must fail was accepted: " + x);
                    }
                    case REJECTED -> {
                        v.rejected++;
                        if (x.status >= 500) v.serverErrors++;
                        if (inLog) {
                            v.rejectedFound++;
                            problems.add("refused " + x + " is in the change log");
                        }
                    }
                    case UNKNOWN -> {
                        v.unknown++;
                        if (x.kind == Kind.CREATE) problems.add("a create is still unknown after retrying it with its Idempotency-Key: " + x);
                        if (inLog) v.unknownCommitted++;
                    }
                    case NOT_SENT -> {
                        v.notSent++;
                        if (inLog) problems.add("never-sent " + x + " is in the change log");
                    }
                }
                if (x.slotId != null) bySlot.computeIfAbsent(x.slotId, k -> new ArrayList<>()).add(x);
            }
        }
        // deletes that took effect must come from an acknowledged or unknown delete of that slot
        deletes.keySet().forEach(id -> {
            boolean explained = bySlot.getOrDefault(id, List.of()).stream()
                    .anyMatch(x -> x.kind == Kind.DELETE && (x.result == Result.ACK || x.result == Result.UNKNOWN));
            if (!explained) problems.add("slot " + id + " was deleted but no delete of it was acknowledged or lost");
        });
        // unknown deletes: committed iff the log has the delete and no other delete explains it
        for (List<Write> hist : bySlot.values()) {
            for (Write x : hist) {
                if (x.kind == Kind.DELETE && x.result == Result.UNKNOWN && deletes.containsKey(x.slotId)
                        && hist.stream().noneMatch(y -> y != x && y.kind == Kind.DELETE && y.result == Result.ACK)) {
                    v.unknownCommitted++;
                }
            }
        }
        // final state of every slot: the last acknowledged write, or a later one whose answer was lost
        for (Map.Entry<Long, List<Write>> e : bySlot.entrySet()) {
            long id = e.getKey();
            List<Write> hist = e.getValue();
            Set<String> acceptable = new HashSet<>();
            boolean sawAck = false;
            for (int i = hist.size() - 1; i >= 0 && !sawAck; i--) {
                Write x = hist.get(i);
                if (x.result == Result.REJECTED || x.result == Result.NOT_SENT) continue;
                acceptable.add(x.kind == Kind.DELETE ? "absent" : x.note);
                sawAck = x.result == Result.ACK;
            }
            if (!sawAck) acceptable.add("absent");
            SlotView actual = table.get(id);
            String state = actual == null ? "absent" : actual.note();
            if (!acceptable.contains(state)) {
                problems.add("slot " + id + " ends as " + actual + " but its writes allow only " + acceptable + "; writes: " + hist);
            } else if (actual != null) {
                Write x = hist.stream().filter(y -> Objects.equals(y.note, actual.note())).findFirst().orElseThrow();
                String mismatch = fieldMismatch(x, actual);
                if (mismatch != null) problems.add("slot " + id + " does not hold its last write: " + mismatch);
            }
        }
        table.values().forEach(s -> {
            if (!bySlot.containsKey(s.id()) || !ourNotes.contains(s.note())) problems.add("slot " + s + " was written by nobody");
        });
        return v;
    }

    /** Null when an acknowledged write is in the log once, for the right slot, with what was asked. */
    private static String acknowledgedProblem(Write x, List<JsonNode> events, Map<Long, Integer> deletes) {
        if (x.kind == Kind.DELETE) return deletes.getOrDefault(x.slotId, 0) == 1 ? null : "no delete of the slot in the change log";
        if (events.size() != 1) return "in the change log " + events.size() + " times";
        JsonNode e = events.get(0);
        String expectedType = x.kind == Kind.CREATE ? "availability_created" : "availability_updated";
        if (!e.get("type").asText().equals(expectedType)) return "logged as " + e.get("type").asText();
        SlotView s = SlotView.of(e.get("data"));
        if (s.id() != x.slotId) return "logged for slot " + s.id();
        return fieldMismatch(x, s);
    }

    private static String fieldMismatch(Write x, SlotView s) {
        Map<String, Object> actual = Map.of("date", s.date(), "start", s.start(), "end", s.end(), "available", s.available(),
                "note", s.note() == null ? "" : s.note());
        for (Map.Entry<String, Object> f : x.fields.entrySet()) {
            if (!Objects.equals(String.valueOf(actual.get(f.getKey())), String.valueOf(f.getValue()))) {
                return f.getKey() + " is " + actual.get(f.getKey()) + ", the write asked for " + f.getValue();
            }
        }
        return null;
    }

    private static String firstDifference(Map<Long, SlotView> a, Map<Long, SlotView> b) {
        Set<Long> ids = new java.util.TreeSet<>(a.keySet());
        ids.addAll(b.keySet());
        for (Long id : ids) {
            if (!Objects.equals(a.get(id), b.get(id))) return "slot " + id + ": log " + a.get(id) + " vs table " + b.get(id);
        }
        return "none";
    }

}
