package com.royalcare.loadtest.drill;

import com.royalcare.testkit.ApiClient;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The convergence drill: M simulated screens (event streams with resume, a share on long polling;
 * operators seeing everything, operators filtered by staff member or by dates, therapists and
 * drivers seeing their own) follow the board while K writers make random changes for T seconds.
 * Screens are disconnected and paused ("the tab sleeps: nobody reads") at random, and the server
 * is restarted once halfway. When the writers stop, every screen must settle on exactly what a
 * fresh snapshot of its scope says — zero divergences — without a duplicate or a missing event.
 */
public final class ConvergeDrill {

    enum Restart { TERM, KILL, NONE }

    record Options(int screens, double pollShare, int writers, int seconds, Restart restart, long thinkMs,
                   double disconnectsPerMinute, double pausesPerMinute, long maxPauseMs, double longPauseShare,
                   long longPauseMs, int maxPollWait, Map<String, String> serverEnv, String jdbcUrl, int nodes,
                   Path workDir, List<String> serverCommand, long seed) {
    }

    record Report(Options options, int streams, int pollers, int staff, long writesOk, long writesRefused,
                  long writesFailed, long head, boolean restarted, Screen.Stats stats, long catchUpMs,
                  long serverStreamsOpen, long serverCuts, int divergences, long durationMs, List<String> problems) {

        boolean passed() {
            return problems.isEmpty();
        }

        String format() {
            StringBuilder b = new StringBuilder();
            b.append("Convergence drill — ").append(options.nodes() > 1 ? options.nodes() + " PostgreSQL nodes, " : options.jdbcUrl() != null ? "PostgreSQL, " : "SQLite, ").append("M=").append(options.screens()).append(" screens (").append(streams)
                    .append(" streams, ").append(pollers).append(" polling), K=").append(options.writers())
                    .append(" writers, T=").append(options.seconds()).append(" s, restart: ")
                    .append(options.restart().name().toLowerCase()).append(restarted ? " (done)" : "")
                    .append(", ").append(durationMs / 1000.0).append(" s in all\n");
            b.append("  writes: ").append(writesOk).append(" acknowledged, ").append(writesRefused)
                    .append(" refused (overlaps, stale versions), ").append(writesFailed)
                    .append(" failed (server restarting); change log head ").append(head).append('\n');
            b.append("  screens: ").append(stats.applied).append(" changes applied, ").append(stats.snapshots)
                    .append(" snapshots loaded, ").append(stats.connects).append(" stream connects, ")
                    .append(stats.polls).append(" polls\n");
            b.append("  chaos: ").append(stats.disconnects).append(" forced disconnects, ").append(stats.pauses)
                    .append(" pauses, ").append(stats.drops).append(" connections dropped by the server (restart, slow-reader cut), ")
                    .append(stats.resets).append(" resets, ").append(stats.refreshes).append(" global refreshes\n");
            b.append("  server: ").append(serverCuts).append(" slow readers cut since the restart; ").append(serverStreamsOpen)
                    .append(" streams open at the end for ").append(streams).append(" streaming screens\n");
            b.append("  quiet time: every screen woke up and settled within ").append(catchUpMs).append(" ms\n");
            b.append("  divergences: ").append(divergences).append(" of ").append(options.screens())
                    .append(" screens; duplicates ").append(stats.duplicates).append(", gaps ").append(stats.gaps)
                    .append(", protocol errors ").append(stats.protocolErrors + stats.backwards).append('\n');
            Drills.appendResult(b, passed(), problems);
            return b.toString();
        }
    }

    /** Six months ahead: therapists and drivers may write from today up to a year ahead (issue 11). */
    private static final LocalDate FIRST_DAY = LocalDate.now(java.time.ZoneOffset.UTC).plusMonths(6);
    private static final int DAYS = 10;

    private final Options options;
    private final ApiClient http;
    private final ApiClient writerHttp;
    private final ExecutorService clientPool;
    private final ScheduledExecutorService timer;
    private final Map<Long, Long> slots = new ConcurrentHashMap<>(); // slot id -> staff id, as far as writers know
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean writing = true;
    private volatile boolean chaos = true;

    ConvergeDrill(Options options) {
        this.options = options;
        this.clientPool = Executors.newFixedThreadPool(4, Drills.daemon("screens-http"));
        this.timer = Executors.newScheduledThreadPool(2, Drills.daemon("screens-timer"));
        this.http = new ApiClient(ApiClient.newHttpClient(clientPool), null, null, Duration.ofSeconds(30));
        this.writerHttp = new ApiClient(ApiClient.newHttpClient(null), null, null, Duration.ofSeconds(30));
    }

    public static void main(String[] argv) {
        Args a = new Args(argv);
        String jar = a.text("jar", "server/target/royal-care-scheduler.jar");
        String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Options o = new Options(a.integer("screens", 200), a.decimal("poll-share", 0.25), a.integer("writers", 20),
                a.integer("seconds", 120), Restart.valueOf(a.text("restart", "term").toUpperCase()), a.longValue("think-ms", 250),
                a.decimal("disconnects-per-minute", 3), a.decimal("pauses-per-minute", 2), a.longValue("max-pause-ms", 8000),
                a.decimal("long-pause-share", 0.1), a.longValue("long-pause-ms", 30000),
                a.integer("max-poll-wait", 10), Drills.envOption(a.text("server-env", "")),
                a.text("jdbc-url", null), a.integer("nodes", 1),
                Path.of(a.text("work-dir", "target/drills/converge-" + stamp)),
                ServerNode.jarCommand(Path.of(jar), List.of(a.text("server-jvm", "-Xmx512m").split(" "))),
                a.longValue("seed", System.nanoTime()));
        a.done();
        Report r = new ConvergeDrill(o).run();
        Drills.printAndExit(r.format(), r.passed(), o.workDir());
    }

    Report run() {
        long started = System.currentTimeMillis();
        Drills.createDirectories(options.workDir());
        System.out.println("convergence drill: seed " + options.seed() + ", work dir " + options.workDir());
        Random random = new Random(options.seed());
        List<Screen> screens = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (options.nodes() > 1 && options.jdbcUrl() == null) throw new IllegalArgumentException("several nodes need a shared PostgreSQL database (--jdbc-url)");
        List<ServerNode> servers = new ArrayList<>();
        for (int i = 0; i < options.nodes(); i++) {
            Map<String, String> env = new HashMap<>();
            env.put("DATA_DIR", options.workDir().resolve("data-" + i).toString());
            env.put("INITIAL_OPERATOR_PASSWORD", Drills.OPERATOR_PASSWORD);
            env.put("PASSWORD_COST", "4");
            env.put("SYNC_STREAMS_PER_USER", "100000"); // the screens share a few accounts; the per-user cap is tested elsewhere
            if (options.jdbcUrl() != null) {
                env.put("DATABASE_URL", options.jdbcUrl());
                env.put("DATABASE_USER", "postgres");
            }
            env.putAll(options.serverEnv());
            servers.add(new ServerNode(options.nodes() == 1 ? "server" : "node-" + (char) ('a' + i), options.serverCommand(), env,
                    ServerNode.freePort(), options.workDir(), http));
        }
        ServerNode server = servers.get(servers.size() - 1); // the one restarted halfway
        List<Thread> writerThreads = new ArrayList<>();
        boolean restarted = false;
        try {
            for (ServerNode node : servers) node.start(Duration.ofSeconds(120)); // in turn: the first migrates
            String base = servers.get(0).baseUrl(); // setup and checks; with several nodes it is not the restarted one
            List<String> urls = servers.stream().map(ServerNode::baseUrl).toList();
            String operator = Drills.signIn(http, base, "operator", Drills.OPERATOR_PASSWORD);

            int staffCount = Math.max(3, Math.min(12, options.screens() / 15));
            List<Long> staff = new ArrayList<>();
            List<String> staffNames = new ArrayList<>();
            for (int i = 0; i < staffCount; i++) {
                String user = "conv-s" + i;
                boolean driver = i % 4 == 3;
                staff.add(Drills.createStaff(http, base, operator, user, driver ? "driver" : "therapist",
                        driver ? Map.of("vehiclePlate", "DRL " + i) : Map.of("phone", "+63 900 000 " + i)));
                staffNames.add(user);
            }

            int pollEvery = options.pollShare() <= 0 ? Integer.MAX_VALUE : (int) Math.round(1 / options.pollShare());
            for (int i = 0; i < options.screens(); i++) {
                boolean poll = pollEvery != Integer.MAX_VALUE && i % pollEvery == pollEvery - 1;
                int kind = i % 20;
                int who = random.nextInt(staffCount);
                String token;
                Scope scope;
                boolean isOperator = kind < 15;
                if (kind < 8) {
                    scope = Scope.ALL;
                } else if (kind < 12) {
                    scope = Scope.staff(staff.get(who));
                } else if (kind < 15) {
                    LocalDate from = FIRST_DAY.plusDays(random.nextInt(DAYS - 2));
                    scope = Scope.dates(from, from.plusDays(random.nextInt(3)));
                } else {
                    scope = new Scope(staff.get(who), null, null, random.nextBoolean());
                }
                token = isOperator ? Drills.signIn(http, base, "operator", Drills.OPERATOR_PASSWORD)
                        : Drills.signIn(http, base, staffNames.get(who), Drills.passwordOf(staffNames.get(who)));
                String name = (poll ? "poll-" : "stream-") + i;
                screens.add(poll ? new PollScreen(name, token, scope, isOperator, urls, i, http, timer, options.maxPollWait())
                        : new StreamScreen(name, token, scope, isOperator, urls, i, http, timer));
            }
            screens.forEach(Screen::start);
            long streams = screens.stream().filter(s -> s instanceof StreamScreen).count();

            for (int j = 0; j < options.writers(); j++) {
                boolean asOperator = j % 2 == 0 || staffCount == 0;
                int own = j / 2 % staffCount;
                String token = asOperator ? Drills.signIn(http, base, "operator", Drills.OPERATOR_PASSWORD)
                        : Drills.signIn(http, base, staffNames.get(own), Drills.passwordOf(staffNames.get(own)));
                WriterLoop w = new WriterLoop(urls.get(j % urls.size()), token, asOperator ? null : staff.get(own), staff, new Random(random.nextLong()));
                Thread t = new Thread(w, "converge-writer-" + j);
                t.setDaemon(true);
                writerThreads.add(t);
            }
            writerThreads.forEach(Thread::start);
            timer.scheduleAtFixedRate(() -> chaos(screens), 100, 100, TimeUnit.MILLISECONDS);

            long t0 = System.currentTimeMillis();
            long end = t0 + options.seconds() * 1000L;
            long restartAt = t0 + options.seconds() * 500L;
            long nextReport = t0 + 10_000;
            while (System.currentTimeMillis() < end) {
                ServerNode.pause(100); // the drill's clock
                long now = System.currentTimeMillis();
                if (!restarted && options.restart() != Restart.NONE && now >= restartAt) {
                    if (options.restart() == Restart.KILL) server.kill();
                    else server.stop();
                    long down = System.currentTimeMillis();
                    server.start(Duration.ofSeconds(300)); // generous: on a busy shared machine a JVM start alone took over 120 s
                    for (Screen sc : screens) if (sc.homeIs(server.baseUrl())) sc.goHome(); // the balancer sends them back
                    restarted = true;
                    System.out.println("  restarted " + server.name() + " (" + options.restart().name().toLowerCase() + ") at "
                            + (now - t0) / 1000 + " s: stopped in " + (down - now) + " ms, healthy again "
                            + (System.currentTimeMillis() - down) + " ms later");
                }
                if (now >= nextReport) {
                    System.out.println("  " + (now - t0) / 1000 + " s: " + ok.get() + " writes acknowledged, "
                            + refused.get() + " refused, " + failed.get() + " failed");
                    nextReport += 10_000;
                }
            }
            writing = false;
            chaos = false;
            for (Thread t : writerThreads) t.join(60_000);
            long quiet = System.currentTimeMillis();
            screens.forEach(Screen::wake); // quiet time: every sleeping tab wakes up and must catch up

            long head = Drills.head(http, base, operator);
            List<JsonNode> log = Drills.wholeLog(http, base, operator);
            problems.addAll(Drills.gaps(log, head));
            Map<Screen, Long> targets = Drills.targets(screens, log);
            long catchUp = Drills.awaitCaughtUp(targets, quiet, 90_000);
            if (catchUp < 0) problems.add("not every screen settled within 90 s of quiet time");
            List<String> divergent = Drills.divergences(http, base, operator, targets, head);
            // A stream the client dropped is noticed by the server only when it writes to it (a heartbeat
            // at the latest, every 15 s; the first write after the close may still succeed): allow two
            // heartbeats for the count to match, then call it a leak.
            long open = -1;
            long leakDeadline = System.currentTimeMillis() + 35_000;
            while (true) {
                open = 0;
                for (String url : urls) open += Drills.metric(http, url, "rcs_sync_streams_open");
                if (open == streams || System.currentTimeMillis() > leakDeadline) break;
                ServerNode.pause(250);
            }
            if (open != streams) problems.add("the server holds " + open + " open streams for " + streams + " streaming screens");
            System.out.println("  server stream count matched the screens " + (System.currentTimeMillis() + 35_000 - leakDeadline)
                    + " ms after the catch-up check");
            long cut = 0;
            for (String url : urls) cut += Drills.metric(http, url, "rcs_sync_clients_cut_total");
            problems.addAll(divergent);
            Screen.Stats stats = Drills.total(screens);
            if (stats.violations() > 0) problems.add("screens saw " + stats.duplicates + " duplicates, " + stats.gaps + " gaps, "
                    + stats.backwards + " backward ids, " + stats.protocolErrors + " protocol errors");
            return new Report(options, (int) streams, screens.size() - (int) streams, staffCount, ok.get(), refused.get(),
                    failed.get(), head, restarted, stats, catchUp, open, cut, divergent.size(), System.currentTimeMillis() - started,
                    List.copyOf(problems));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            writing = false;
            chaos = false;
            screens.forEach(Screen::stop);
            servers.forEach(ServerNode::stop);
            timer.shutdownNow();
            clientPool.shutdownNow();
        }
    }

    /** Every 100 ms: a few random disconnects and pauses, at the configured average rates per screen. */
    private void chaos(List<Screen> screens) {
        if (!chaos) return;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        double pDisconnect = options.disconnectsPerMinute() / 600.0;
        double pPause = options.pausesPerMinute() / 600.0;
        for (Screen s : screens) {
            double x = r.nextDouble();
            if (x < pDisconnect) {
                s.disconnect();
            } else if (x < pDisconnect + pPause && !s.paused()) {
                boolean asleep = r.nextDouble() < options.longPauseShare(); // a tab in the background for a while
                s.pause(asleep ? options.longPauseMs() / 2 + r.nextLong(options.longPauseMs())
                        : 500 + r.nextLong(Math.max(1, options.maxPauseMs() - 500)));
            }
        }
    }

    /** A writer: an operator changing anyone's slots, or a therapist/driver changing their own, with a little think time. */
    private final class WriterLoop implements Runnable {
        private final String base;
        private final String token;
        private final Long own; // null: operator
        private final List<Long> staff;
        private final Random random;
        private int n;

        WriterLoop(String base, String token, Long own, List<Long> staff, Random random) {
            this.base = base;
            this.token = token;
            this.own = own;
            this.staff = staff;
            this.random = random;
        }

        @Override
        public void run() {
            while (writing) {
                ApiClient.Outcome o = once();
                if (o instanceof ApiClient.Response a) {
                    if (a.ok()) ok.incrementAndGet();
                    else refused.incrementAndGet();
                    if (a.status() >= 500 && a.status() != 503) System.out.println("  server error: " + a.status() + " " + a.text());
                } else {
                    failed.incrementAndGet();
                    ServerNode.pause(100); // the server is restarting
                    continue;
                }
                long think = options.thinkMs();
                if (think > 0) ServerNode.pause(random.nextLong(2 * think + 1)); // a person's pace, not a wait for a condition
            }
        }

        private ApiClient.Outcome once() {
            n++;
            String note = "conv-" + Thread.currentThread().getName() + "-" + n;
            Long slot = pickSlot();
            double r = random.nextDouble();
            if (own == null && r < 0.003) {
                return writerHttp.withToken(token).attempt("POST", base + "/api/sync/refresh", Map.of(), Map.of());
            }
            if (own == null && r < 0.03) {
                long s = staff.get(random.nextInt(staff.size()));
                return writerHttp.withToken(token).attempt("PATCH", base + "/api/staff/" + s, Map.of("name", "Renamed " + n), Map.of());
            }
            if (slot == null || r < 0.40) {
                long s = own != null ? own : staff.get(random.nextInt(staff.size()));
                Map<String, Object> body = times();
                body.put("note", note);
                if (own == null || random.nextBoolean()) body.put("staffId", s);
                return record(writerHttp.withToken(token).attempt("POST", base + "/api/availability", body, Map.of()), null, false);
            }
            String path = base + "/api/availability/" + slot;
            if (r < 0.65) {
                Map<String, Object> body = new LinkedHashMap<>();
                double p = random.nextDouble();
                if (p < 0.35) body.put("date", FIRST_DAY.plusDays(random.nextInt(DAYS)).toString());
                else if (p < 0.6) body.put("available", random.nextBoolean());
                else body.putAll(times());
                body.put("note", note);
                return record(writerHttp.withToken(token).attempt("PATCH", path, body, Map.of()), slot, false);
            }
            if (r < 0.80) {
                Map<String, Object> body = times();
                body.put("note", note);
                return record(writerHttp.withToken(token).attempt("PUT", path, body, Map.of()), slot, false);
            }
            return record(writerHttp.withToken(token).attempt("DELETE", path, null, Map.of()), slot, true);
        }

        private Map<String, Object> times() {
            LocalTime start = LocalTime.of(0, 0).plusMinutes(15L * random.nextInt(96));
            LocalTime end = start.plusMinutes(15L * (2 + random.nextInt(16)));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("date", FIRST_DAY.plusDays(random.nextInt(DAYS)).toString());
            m.put("start", start.toString());
            m.put("end", end.toString());
            m.put("available", random.nextDouble() < 0.8);
            return m;
        }

        private Long pickSlot() {
            List<Long> candidates = new ArrayList<>();
            for (Map.Entry<Long, Long> e : slots.entrySet()) {
                if (own == null || own.equals(e.getValue())) candidates.add(e.getKey());
            }
            return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
        }

        private ApiClient.Outcome record(ApiClient.Outcome o, Long slot, boolean delete) {
            if (o instanceof ApiClient.Response a) {
                if (a.ok() && !delete) slots.put(a.json().get("id").asLong(), a.json().get("staffId").asLong());
                if ((a.ok() && delete) || a.status() == 404) {
                    if (slot != null) slots.remove(slot);
                }
            }
            return o;
        }
    }
}
