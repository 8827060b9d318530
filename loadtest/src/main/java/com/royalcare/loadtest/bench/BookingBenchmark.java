package com.royalcare.loadtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Issue 10 §9, bookings under load. Against a fresh server it creates a service, clients, operator
 * accounts and therapists with availability, then:
 *
 * <ol>
 *   <li><b>20 operators booking at once.</b> Each operator (its own account and session, one client
 *   thread, closed loop: the next request when the answer came) books visits for its own therapist,
 *   none conflicting, and in between races its two neighbours for shared therapists: each contested
 *   visit is tried by two operators at nearly the same moment, 30 minutes apart, so exactly one of the
 *   two must get 201 and the other 409 {@code STAFF_BOOKED}. After a warm-up round (not measured) the
 *   measured round reports {@code POST /api/appointments} p50/p99/max and throughput, counts 201 and
 *   409, and reads every list back to prove no therapist holds two visits closer than the travel buffer.</li>
 *   <li><b>The day's list with 1,000 appointments.</b> One day is filled with 1,000 visits (ten per
 *   therapist), then {@code GET /api/appointments?date=} is read again and again, alone and by all
 *   operators at once, and so are the board's other reads of a day (the visits from the day before,
 *   the pending list, the slots, the staff).</li>
 * </ol>
 *
 * <pre>java -cp jar com.royalcare.loadtest.bench.BookingBenchmark --url URL [--password PW] [--operators 20]
 *      [--bookings 50] [--contested 5] [--warmup 40] [--day 1000] [--reads 300] [--read-warmup 100]
 *      [--buffer-minutes 30] [--server-pid PID] [--markdown FILE]</pre>
 */
public final class BookingBenchmark {

    static final int VISIT_MINUTES = 60;
    static final LocalTime FIRST = LocalTime.of(6, 0);
    static final String SLOT_START = "06:00";
    static final String SLOT_END = "21:00";
    /** Own visits every 90 min from 06:00 (60 min visit + the default 30 min buffer): ten a day, the last 19:30–20:30. */
    static final int OWN_STEP = 90;
    static final int OWN_PER_DAY = 10;
    /** Contested visits every 150 min: whichever attempt wins (t or t+30), the next still fits. Six a day. */
    static final int CONTESTED_STEP = 150;
    static final int CONTESTED_PER_DAY = 6;
    static final int CONTESTED_OFFSET = 30;
    private static final int CLIENTS = 50;

    private BookingBenchmark() {
    }

    /** What to run; defaults are the figures. */
    record Options(int operators, int bookings, int contested, int warmup, int day, int reads, int readWarmup,
                   int bufferMinutes) {
        Options {
            if (operators < 2) throw new IllegalArgumentException("at least 2 operators: contested visits need pairs");
            if (bookings < 1 || contested < 0 || warmup < 0 || day < 1 || reads < 1 || readWarmup < 0) {
                throw new IllegalArgumentException("counts must be positive");
            }
            if (bufferMinutes > OWN_STEP - VISIT_MINUTES) {
                throw new IllegalArgumentException("own visits are " + OWN_STEP + " min apart: a buffer above "
                        + (OWN_STEP - VISIT_MINUTES) + " min would make them conflict");
            }
        }

        static Options defaults() {
            return new Options(20, 50, 5, 40, 1000, 300, 100, 30);
        }

        int ownDays() {
            return ceil(warmup + bookings, OWN_PER_DAY);
        }

        int contestedDays() {
            return ceil(contested, CONTESTED_PER_DAY);
        }

        int phaseOneDays() {
            return Math.max(ownDays(), Math.max(1, contestedDays()));
        }

        int dayTherapists() {
            return ceil(day, OWN_PER_DAY);
        }

        /** Own therapists (one per operator), contested ones (one per pair), and enough for the full day. */
        int therapists() {
            return Math.max(2 * operators, dayTherapists());
        }
    }

    /** One visit as a list shows it: who, when (local, as the business sees it) and its status. */
    record Visit(long id, List<Long> staff, LocalDateTime start, LocalDateTime end, String status) {
        static Visit of(JsonNode a) {
            LocalDate date = LocalDate.parse(a.path("date").asText());
            LocalTime s = LocalTime.parse(a.path("start").asText());
            LocalTime e = LocalTime.parse(a.path("end").asText());
            List<Long> staff = new ArrayList<>();
            for (JsonNode t : a.path("therapists")) {
                if (!"rejected".equals(t.path("response").asText())) staff.add(t.path("id").asLong());
            }
            JsonNode d = a.path("driver");
            if (d.isObject() && !"rejected".equals(d.path("response").asText())) staff.add(d.path("id").asLong());
            // an end before the start runs past midnight, as slots do
            return new Visit(a.path("id").asLong(), staff, date.atTime(s), (e.isAfter(s) ? date : date.plusDays(1)).atTime(e),
                    a.path("status").asText());
        }

        boolean holdsTime() {
            return status.equals("pending") || status.equals("confirmed") || status.equals("in_progress");
        }
    }

    /** Two visits of one person, closer than the buffer (a double booking). */
    record Clash(long staffId, long first, long second) {
    }

    /**
     * Every pair of time-holding visits of one person closer than {@code buffer} (end of one to start of the
     * next; exactly the buffer apart is fine), i.e. what the server must never have let through.
     */
    static List<Clash> doubleBookings(Collection<Visit> visits, Duration buffer) {
        Map<Long, List<Visit>> byStaff = new HashMap<>();
        for (Visit v : visits) {
            if (!v.holdsTime()) continue;
            for (long s : v.staff()) byStaff.computeIfAbsent(s, k -> new ArrayList<>()).add(v);
        }
        List<Clash> clashes = new ArrayList<>();
        byStaff.forEach((staff, list) -> {
            list.sort(Comparator.comparing(Visit::start).thenComparingLong(Visit::id));
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    if (!list.get(j).start().isBefore(list.get(i).end().plus(buffer))) break; // sorted: later ones are further
                    clashes.add(new Clash(staff, list.get(i).id(), list.get(j).id()));
                }
            }
        });
        return clashes;
    }

    /** One booking request of the plan. {@code cell} ≥ 0 names a contested visit (tried by two operators). */
    record Attempt(int therapist, LocalDate date, LocalTime start, int cell) {
    }

    /** Own visits of operator {@code op}, warm-up first: its therapist, ten a day from {@code first}. */
    static List<Attempt> ownPlan(Options o, int op, LocalDate first) {
        List<Attempt> plan = new ArrayList<>();
        for (int n = 0; n < o.warmup() + o.bookings(); n++) {
            plan.add(new Attempt(op, first.plusDays(n / OWN_PER_DAY), FIRST.plusMinutes((long) (n % OWN_PER_DAY) * OWN_STEP), -1));
        }
        return plan;
    }

    /**
     * Operator {@code op}'s measured round: its own visits with, at {@code contested} evenly spread points,
     * one try at its pair's cell (on time) and one at the pair before's (30 min later). Pair p is operators p and
     * p + 1 (wrapping), on contested therapist {@code operators + p}; so every cell is tried twice at about the same time.
     */
    static List<Attempt> measuredPlan(Options o, int op, LocalDate first) {
        List<Attempt> own = ownPlan(o, op, first).subList(o.warmup(), o.warmup() + o.bookings());
        int n = o.operators();
        int before = (op + n - 1) % n;
        List<Attempt> plan = new ArrayList<>();
        int j = 0;
        for (int i = 0; i <= own.size(); i++) {
            while (j < o.contested() && i == (j + 1) * own.size() / (o.contested() + 1)) {
                plan.add(contested(o, op, j, first, 0));
                plan.add(contested(o, before, j, first, CONTESTED_OFFSET));
                j++;
            }
            if (i < own.size()) plan.add(own.get(i));
        }
        return plan;
    }

    private static Attempt contested(Options o, int pair, int j, LocalDate first, int offset) {
        LocalTime t = FIRST.plusMinutes((long) (j % CONTESTED_PER_DAY) * CONTESTED_STEP + offset);
        return new Attempt(o.operators() + pair, first.plusDays(j / CONTESTED_PER_DAY), t, pair * o.contested() + j);
    }

    /** Outcomes and latency (µs) of one operator's requests. */
    static final class Tally {
        final Histogram all = histogram();
        final Histogram created = histogram();
        final Histogram refused = histogram();
        long ok;
        long staffBooked;
        long other;
        final Map<Integer, Integer> cellWins = new HashMap<>();
        final List<String> otherSamples = new ArrayList<>();

        void add(Tally t) {
            all.add(t.all);
            created.add(t.created);
            refused.add(t.refused);
            ok += t.ok;
            staffBooked += t.staffBooked;
            other += t.other;
            t.cellWins.forEach((c, w) -> cellWins.merge(c, w, Integer::sum));
            if (otherSamples.size() < 5) otherSamples.addAll(t.otherSamples.subList(0, Math.min(5 - otherSamples.size(), t.otherSamples.size())));
        }
    }

    static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
    }

    /** A read measured again and again: latency (µs), bytes and items of the answer. */
    record ReadResult(String what, String path, int clients, Histogram latency, int bytes, int items, long failures) {
    }

    /** What one run found; {@link #passed()} when every count came out as planned and nothing was double-booked. */
    record Report(Options options, LocalDate firstDate, LocalDate dayDate, Tally measured, double measuredSeconds,
                  long warmupOk, long listed, List<Clash> clashes, int contestedCells, int cellsWithOneWinner,
                  Tally fill, double fillSeconds, int dayListed, List<Clash> dayClashes, List<ReadResult> reads,
                  double serverCpu, String serverRss, String loadAverage) {

        long expectedOk() {
            return (long) options.operators() * options.bookings() + contestedCells;
        }

        boolean passed() {
            return measured.ok == expectedOk() && measured.staffBooked == contestedCells && measured.other == 0
                    && cellsWithOneWinner == contestedCells && clashes.isEmpty()
                    && listed == warmupOk + measured.ok && warmupOk == (long) options.operators() * options.warmup()
                    && fill.ok == options.day() && fill.other + fill.staffBooked == 0 && dayListed == options.day()
                    && dayClashes.isEmpty() && reads.stream().allMatch(r -> r.failures() == 0);
        }

        String format() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "== bookings: %d operators at once ==%n", options.operators()));
            s.append(String.format(Locale.ROOT, "measured POSTs %,d in %.2f s (%.1f/s): 201 %,d (expected %,d), 409 STAFF_BOOKED %,d "
                            + "(expected %,d), other %,d %s%n", measured.all.getTotalCount(), measuredSeconds,
                    measured.all.getTotalCount() / measuredSeconds, measured.ok, expectedOk(), measured.staffBooked, contestedCells,
                    measured.other, measured.otherSamples));
            s.append(String.format(Locale.ROOT, "POST /api/appointments p50 %s ms, p90 %s ms, p99 %s ms, max %s ms; 201 p50/p99 %s/%s ms; "
                            + "409 p50/p99 %s/%s ms%n", ms(measured.all, 50), ms(measured.all, 90), ms(measured.all, 99), max(measured.all),
                    ms(measured.created, 50), ms(measured.created, 99), ms(measured.refused, 50), ms(measured.refused, 99)));
            s.append(String.format(Locale.ROOT, "contested visits with exactly one winner: %d of %d; listed back %,d (warm-up %,d + measured %,d); "
                    + "double bookings %d %s%n", cellsWithOneWinner, contestedCells, listed, warmupOk, measured.ok, clashes.size(),
                    clashes.stream().limit(5).toList()));
            s.append(String.format(Locale.ROOT, "server CPU %s %%, RSS max %s, load average %s%n", Benchmarks.fmt(serverCpu), serverRss,
                    loadAverage));
            s.append(String.format(Locale.ROOT, "== the day's list, %s ==%nfilled with %,d visits in %.2f s (POST p50/p99 %s/%s ms, other %d); "
                            + "listed %,d, double bookings %d%n", dayDate, fill.ok, fillSeconds, ms(fill.all, 50), ms(fill.all, 99),
                    fill.other + fill.staffBooked, dayListed, dayClashes.size()));
            for (ReadResult r : reads) {
                s.append(String.format(Locale.ROOT, "%-48s %d client(s): p50 %s ms, p99 %s ms, max %s ms; %,d items, %,d bytes; failures %d%n",
                        "GET " + r.path(), r.clients(), ms(r.latency(), 50), ms(r.latency(), 99), max(r.latency()), r.items(), r.bytes(),
                        r.failures()));
            }
            s.append(passed() ? "MET\n" : "MISSED\n");
            return s.toString();
        }

        /** Two markdown tables for docs/BENCHMARKS.md. */
        String markdown() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "%n**%d operators booking at once** (measured round; dates from %s)%n%n", options.operators(),
                    firstDate));
            s.append("| operators | POSTs | wall | throughput | 201 / expected | 409 STAFF_BOOKED / expected | other | POST p50 | p99 | max "
                    + "| 201 p50 / p99 | 409 p50 / p99 | contested: one winner | double bookings (lists read back) | server CPU | server RSS max | load avg | met |\n");
            s.append("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|\n");
            s.append(String.format(Locale.ROOT, "| %d | %,d | %.2f s | %.0f/s | %,d / %,d | %,d / %,d | %,d | %s ms | %s ms | %s ms | %s / %s ms "
                            + "| %s / %s ms | %d of %d | %d of %,d listed | %s %% | %s | %s | %s |%n",
                    options.operators(), measured.all.getTotalCount(), measuredSeconds, measured.all.getTotalCount() / measuredSeconds,
                    measured.ok, expectedOk(), measured.staffBooked, contestedCells, measured.other, ms(measured.all, 50),
                    ms(measured.all, 99), max(measured.all), ms(measured.created, 50), ms(measured.created, 99), ms(measured.refused, 50),
                    ms(measured.refused, 99), cellsWithOneWinner, contestedCells, clashes.size(), listed, Benchmarks.fmt(serverCpu),
                    serverRss, loadAverage, passed() ? "yes" : "**no**"));
            s.append(String.format(Locale.ROOT, "%n**The day's list with %,d appointments** (%s; filled by the %d operators in %.1f s, "
                            + "POST p50 %s ms, p99 %s ms while filling; %,d listed, %d double bookings)%n%n", options.day(), dayDate,
                    options.operators(), fillSeconds, ms(fill.all, 50), ms(fill.all, 99), dayListed, dayClashes.size()));
            s.append("| read | clients at once | reads | p50 | p99 | max | items | answer size | failures |\n");
            s.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            for (ReadResult r : reads) {
                s.append(String.format(Locale.ROOT, "| %s: `GET %s` | %d | %,d | %s ms | %s ms | %s ms | %,d | %,d KiB | %d |%n", r.what(),
                        r.path(), r.clients(), r.latency().getTotalCount(), ms(r.latency(), 50), ms(r.latency(), 99), max(r.latency()),
                        r.items(), r.bytes() / 1024, r.failures()));
            }
            return s.toString();
        }

        private static String ms(Histogram h, double p) {
            return Benchmarks.fmt(Benchmarks.ms(h, p));
        }

        private static String max(Histogram h) {
            return Benchmarks.fmt(Benchmarks.maxMs(h));
        }
    }

    public static void main(String[] args) throws Exception {
        Flags f = new Flags(args);
        String url = f.required("url");
        String password = f.password();
        Options d = Options.defaults();
        Options o = new Options(f.integer("operators", d.operators()), f.integer("bookings", d.bookings()),
                f.integer("contested", d.contested()), f.integer("warmup", d.warmup()), f.integer("day", d.day()),
                f.integer("reads", d.reads()), f.integer("read-warmup", d.readWarmup()), f.integer("buffer-minutes", d.bufferMinutes()));
        long pid = f.longValue("server-pid", -1);
        String markdown = f.string("markdown", null);
        f.done();
        Report r = run(url, password, o, pid);
        System.out.print(r.format());
        Benchmarks.append(markdown, r.markdown());
        System.exit(r.passed() ? 0 : 1);
    }

    /** Runs both parts against the server at {@code url}, signed in as {@code operator} with {@code password}. */
    static Report run(String url, String password, Options o, long serverPid) throws Exception {
        ApiClient admin = new ApiClient(url, null).withTimeout(Duration.ofSeconds(60)).signIn("operator", password);
        String tag = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        // far enough ahead that "today" in any zone does not matter; a rerun on the same server uses new people
        LocalDate first = LocalDate.now(ZoneOffset.UTC).plusDays(30);
        LocalDate dayDate = first.plusDays(o.phaseOneDays());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(8, o.operators()), r -> {
            Thread t = new Thread(r, "bench-booking");
            t.setDaemon(true);
            return t;
        });
        try {
            long service = created(admin.post("/api/services", Map.of("name", "Bench " + tag + " 60 min", "durationMinutes",
                    VISIT_MINUTES, "price", "800.00")), "service");
            List<Long> clients = all(pool, 8, CLIENTS, i -> created(admin.post("/api/clients", Map.of("name", "Bench client " + tag + " " + i,
                    "phone", String.format(Locale.ROOT, "+639%06d%03d", System.currentTimeMillis() / 1000 % 1_000_000, i),
                    "address", i + " Bench St, Makati")), "client"));
            String staffPassword = "Bench-" + tag + "-pw";
            // creating an account hashes its password, slow on purpose: a few at a time
            List<Long> operators = all(pool, 4, o.operators(), i -> created(admin.post("/api/staff", Map.of("username", "b" + tag + "op" + i,
                    "name", "Bench Operator " + i, "role", "operator", "password", staffPassword)), "operator"));
            List<Long> therapists = all(pool, 4, o.therapists(), i -> created(admin.post("/api/staff", Map.of("username", "b" + tag + "t" + i,
                    "name", "Bench Therapist " + i, "role", "therapist", "password", staffPassword)), "therapist"));
            List<String[]> slots = new ArrayList<>(); // {therapist index, date}
            for (int t = 0; t < o.operators(); t++) {
                for (int d = 0; d < o.ownDays(); d++) slots.add(new String[] {Integer.toString(t), first.plusDays(d).toString()});
            }
            for (int p = 0; p < o.operators(); p++) {
                for (int d = 0; d < o.contestedDays(); d++) {
                    slots.add(new String[] {Integer.toString(o.operators() + p), first.plusDays(d).toString()});
                }
            }
            for (int t = 0; t < o.dayTherapists(); t++) slots.add(new String[] {Integer.toString(t), dayDate.toString()});
            all(pool, 8, slots.size(), i -> created(admin.post("/api/availability", Map.of("staffId", therapists.get(Integer.parseInt(slots.get(i)[0])),
                    "date", slots.get(i)[1], "start", SLOT_START, "end", SLOT_END)), "slot"));
            List<ApiClient> ops = new ArrayList<>();
            for (int i = 0; i < o.operators(); i++) ops.add(admin.withToken(null).signIn("b" + tag + "op" + i, staffPassword));
            LoadTool.log("set up: %d operators, %d therapists, %d clients, %d slots; visits from %s, the full day %s", operators.size(),
                    therapists.size(), clients.size(), slots.size(), first, dayDate);

            Book book = (api, a, n) -> api.post("/api/appointments", Map.of("clientId", clients.get(n % clients.size()),
                    "serviceIds", List.of(service), "therapistIds", List.of(therapists.get(a.therapist())), "date", a.date().toString(),
                    "start", a.start().toString(), "notes", "bench"));

            // warm-up round: the JIT compiles the booking path; not measured
            Tally warm = round(pool, o.operators(), i -> ownPlan(o, i, first).subList(0, o.warmup()), ops, book);
            LoadTool.log("warm-up: %,d booked, %,d other", warm.ok, warm.other + warm.staffBooked);

            Benchmarks.Meter meter = new Benchmarks.Meter(serverPid).start();
            long t0 = System.nanoTime();
            Tally measured = round(pool, o.operators(), i -> measuredPlan(o, i, first), ops, book);
            double seconds = (System.nanoTime() - t0) / 1e9;
            meter.stop();
            int cells = o.operators() * o.contested();
            int oneWinner = (int) measured.cellWins.values().stream().filter(w -> w == 1).count();

            List<Visit> listed = visits(admin.getOk("/api/appointments?from=" + first + "&to=" + first.plusDays(o.phaseOneDays() - 1)));
            List<Clash> clashes = doubleBookings(listed, Duration.ofMinutes(o.bufferMinutes()));

            // the full day: ten visits for each of the first dayTherapists() therapists, shared out among the operators
            List<Attempt> dayCells = new ArrayList<>();
            for (int n = 0; n < o.day(); n++) {
                dayCells.add(new Attempt(n / OWN_PER_DAY, dayDate, FIRST.plusMinutes((long) (n % OWN_PER_DAY) * OWN_STEP), -1));
            }
            long f0 = System.nanoTime();
            Tally fill = round(pool, o.operators(), i -> {
                List<Attempt> mine = new ArrayList<>();
                for (int n = i; n < dayCells.size(); n += o.operators()) mine.add(dayCells.get(n));
                return mine;
            }, ops, book);
            double fillSeconds = (System.nanoTime() - f0) / 1e9;
            List<Visit> day = visits(admin.getOk("/api/appointments?date=" + dayDate));
            List<Clash> dayClashes = doubleBookings(day, Duration.ofMinutes(o.bufferMinutes()));
            LoadTool.log("day %s: %,d booked in %.1f s, %,d listed", dayDate, fill.ok, fillSeconds, day.size());

            LocalDate before = dayDate.minusDays(1);
            List<ReadResult> reads = new ArrayList<>();
            reads.add(read(pool, "the day's list", "/api/appointments?date=" + dayDate, List.of(admin), o));
            reads.add(read(pool, "the day's list, every operator at once", "/api/appointments?date=" + dayDate, ops, o));
            reads.add(read(pool, "board: visits of the day and the day before", "/api/appointments?from=" + before + "&to=" + dayDate,
                    List.of(admin), o));
            reads.add(read(pool, "board: needs attention (every pending visit)", "/api/appointments?status=pending", List.of(admin), o));
            reads.add(read(pool, "board: slots of the day and the day before", "/api/availability?from=" + before + "&to=" + dayDate,
                    List.of(admin), o));
            reads.add(read(pool, "board: staff", "/api/staff", List.of(admin), o));

            return new Report(o, first, dayDate, measured, seconds, warm.ok, listed.size(), clashes, cells, oneWinner, fill, fillSeconds,
                    day.size(), dayClashes, reads, meter.percent(meter.serverCpuNanos), Benchmarks.mib(meter.maxRss.get()), meter.loadAverage);
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    interface Book {
        ApiClient.Response book(ApiClient api, Attempt a, int n);
    }

    @FunctionalInterface
    interface Plan {
        List<Attempt> of(int operator);
    }

    /** Every operator works through its plan on its own thread, all starting together; their tallies summed. */
    static Tally round(ExecutorService pool, int operators, Plan plan, List<ApiClient> ops, Book book) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Tally>> futures = new ArrayList<>();
        for (int i = 0; i < operators; i++) {
            int op = i;
            List<Attempt> mine = plan.of(op);
            futures.add(pool.submit(() -> {
                Tally t = new Tally();
                go.await();
                int n = op;
                for (Attempt a : mine) {
                    long s = System.nanoTime();
                    ApiClient.Response r = book.book(ops.get(op), a, n++);
                    long us = Math.max(1, (System.nanoTime() - s) / 1000);
                    t.all.recordValue(Math.min(us, t.all.getHighestTrackableValue()));
                    if (r.status() == 201) {
                        t.ok++;
                        t.created.recordValue(Math.min(us, t.all.getHighestTrackableValue()));
                        if (a.cell() >= 0) t.cellWins.merge(a.cell(), 1, Integer::sum);
                    } else if (r.status() == 409 && "STAFF_BOOKED".equals(r.errorCode())) {
                        t.staffBooked++;
                        t.refused.recordValue(Math.min(us, t.all.getHighestTrackableValue()));
                        if (a.cell() >= 0) t.cellWins.merge(a.cell(), 0, Integer::sum);
                    } else {
                        t.other++;
                        if (t.otherSamples.size() < 5) t.otherSamples.add(a + " → " + r);
                    }
                }
                return t;
            }));
        }
        go.countDown();
        Tally sum = new Tally();
        for (Future<Tally> f : futures) sum.add(f.get(10, TimeUnit.MINUTES));
        return sum;
    }

    /** {@code path} read by each of {@code clients} at once, warm-up reads first; the answer's size from the last one. */
    static ReadResult read(ExecutorService pool, String what, String path, List<ApiClient> clients, Options o) throws Exception {
        int per = Math.max(1, o.reads() / clients.size());
        int warm = clients.size() == 1 ? o.readWarmup() : 0; // the many-client read follows the same path's single-client one
        for (int i = 0; i < warm; i++) clients.get(0).get(path);
        CountDownLatch go = new CountDownLatch(1);
        Map<Integer, Histogram> hs = new ConcurrentHashMap<>();
        Map<Integer, Long> fails = new ConcurrentHashMap<>();
        Map<Integer, ApiClient.Response> last = new ConcurrentHashMap<>();
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            int ci = c;
            fs.add(pool.submit((Callable<Void>) () -> {
                Histogram h = histogram();
                long failed = 0;
                go.await();
                for (int i = 0; i < per; i++) {
                    long s = System.nanoTime();
                    ApiClient.Response r = clients.get(ci).get(path);
                    h.recordValue(Math.min(Math.max(1, (System.nanoTime() - s) / 1000), h.getHighestTrackableValue()));
                    if (r.status() != 200) failed++;
                    last.put(ci, r);
                }
                hs.put(ci, h);
                fails.put(ci, failed);
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : fs) f.get(10, TimeUnit.MINUTES);
        Histogram all = histogram();
        hs.values().forEach(all::add);
        ApiClient.Response r = last.get(0);
        JsonNode items = r.json().path("items");
        return new ReadResult(what, path, clients.size(), all, r.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                items.size(), fails.values().stream().mapToLong(Long::longValue).sum());
    }

    static List<Visit> visits(JsonNode list) {
        List<Visit> out = new ArrayList<>();
        for (JsonNode a : list.path("items")) out.add(Visit.of(a));
        return out;
    }

    private static long created(ApiClient.Response r, String what) {
        if (r.status() != 201) throw new IllegalStateException("creating a " + what + " failed: " + r);
        return r.id();
    }

    @FunctionalInterface
    interface Make {
        long make(int i) throws Exception;
    }

    /** {@code make(0..n-1)}, {@code atOnce} at a time, in order of i. */
    private static List<Long> all(ExecutorService pool, int atOnce, int n, Make make) throws Exception {
        Map<Integer, Long> out = new LinkedHashMap<>();
        for (int from = 0; from < n; from += atOnce) {
            List<Future<Long>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + atOnce); i++) {
                int index = i;
                batch.add(pool.submit(() -> make.make(index)));
            }
            for (int k = 0; k < batch.size(); k++) out.put(from + k, batch.get(k).get(2, TimeUnit.MINUTES));
        }
        return List.copyOf(out.values());
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
