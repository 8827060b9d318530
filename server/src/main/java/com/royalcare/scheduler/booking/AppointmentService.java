package com.royalcare.scheduler.booking;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.scheduler.web.Caller;
import com.royalcare.scheduler.availability.AvailabilityRepository;
import com.royalcare.scheduler.availability.SlotTimes;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.idempotency.Idempotent;
import com.royalcare.scheduler.staff.Role;
import com.royalcare.scheduler.staff.Staff;
import com.royalcare.scheduler.staff.StaffRepository;
import com.royalcare.scheduler.sync.Audience;
import com.royalcare.scheduler.sync.ChangeLog;
import com.royalcare.scheduler.sync.NewChange;
import com.royalcare.scheduler.web.Json;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Appointments: booking, edits and the status workflow, with the rules around them.
 *
 * <p>No double booking: every write that assigns people locks their staff rows (in id order) before
 * it checks their other visits (PostgreSQL; SQLite writers are serial), and availability's slot writes
 * take the same locks, so "check, then insert" cannot interleave with a parallel booking on any node.
 *
 * <p>Privacy: an appointment exists, for anyone but an operator, only if they are assigned to it.
 */
public final class AppointmentService {

    public static final String CREATED = "appointment_created";
    public static final String UPDATED = "appointment_updated";
    public static final String REMOVED = "appointment_removed";
    private static final DateTimeFormatter HUMAN_DATE = DateTimeFormatter.ofPattern("EEE d MMM yyyy");
    static final int REASON_MAX = 500;

    public record Listing(long seq, List<Appointment> items) {
    }

    private final Database db;
    private final AppointmentRepository appointments;
    private final TreatmentRepository treatments;
    private final ClientRepository clients;
    private final StaffRepository staff;
    private final AvailabilityRepository slots;
    private final ChangeLog changes;
    private final ZoneId zone;
    private final Clock clock;
    private final Duration responseWindow;
    private final Duration travelBuffer;

    AppointmentService(Database db, AppointmentRepository appointments, TreatmentRepository treatments, ClientRepository clients,
                       StaffRepository staff, AvailabilityRepository slots, ChangeLog changes, ZoneId zone, Clock clock,
                       Duration responseWindow, Duration travelBuffer) {
        this.db = db;
        this.appointments = appointments;
        this.treatments = treatments;
        this.clients = clients;
        this.staff = staff;
        this.slots = slots;
        this.changes = changes;
        this.zone = zone;
        this.clock = clock;
        this.responseWindow = responseWindow;
        this.travelBuffer = travelBuffer;
    }

    // ---- reads ----

    /** Operators see everything asked for; anyone else only their own visits (asking for someone else's is 403). */
    public Listing list(Caller p, AppointmentRepository.Query q) {
        AppointmentRepository.Query scoped = q;
        if (!p.isOperator()) {
            if (q.staffId() != null && q.staffId() != p.id()) throw BookingRefusal.forbidden("You can only see your own appointments.");
            scoped = new AppointmentRepository.Query(p.id(), q.from(), q.to(), q.status());
        }
        AppointmentRepository.Query query = scoped;
        Instant now = now();
        return db.read(h -> new Listing(changes.head(h), appointments.list(h, query).stream().map(a -> view(a, now)).toList()));
    }

    public Appointment get(Caller p, long id) {
        Instant now = now();
        return view(db.read(h -> visible(h, p, id)), now);
    }

    // ---- booking and edits ----

    public Appointment create(Caller p, AppointmentRequest r) {
        return create(p, r, Idempotent.none());
    }

    /** Books a visit; a retry with the same idempotency key gets the first answer and books nothing. */
    public Appointment create(Caller p, AppointmentRequest r, Idempotent<Appointment> once) {
        BookingRefusal.requireOperator(p);
        return db.write(h -> once.inTransaction(h, () -> {
            Instant now = now();
            lockStaff(h, assigneeIds(r.therapistIds(), r.driverId()));
            Client client = clients.find(h, r.clientId()).orElseThrow(() -> BookingRefusal.invalidField("clientId", "is not a known client"));
            List<Appointment.Line> lines = lines(h, r.serviceIds());
            LocalTime end = r.end() != null ? r.end() : defaultEnd(r.start(), lines);
            SlotTimes times = times(r.date(), r.start(), end);
            People people = people(h, r.therapistIds(), r.driverId());
            boolean forced = checkRules(h, people, times, r.force(), null, null);
            String address = r.address() != null ? r.address() : client.address();
            Appointment draft = new Appointment(0, new Appointment.ClientRef(client.id(), client.name(), client.phone()), address,
                    r.notes(), lines, people.therapists(), people.driver(), r.date(), r.start(), end, Appointment.Status.PENDING, false,
                    total(lines), forced, null, 1, List.of(), now, now);
            long id = appointments.insert(h, draft, times.in(zone), now);
            appointments.addHistory(h, id, new Appointment.HistoryEntry(Appointment.Status.PENDING, p.id(), now,
                    forced ? "Booked outside availability (forced by an operator)." : null));
            Appointment created = view(appointments.find(h, id).orElseThrow(), now);
            record(h, p.id(), CREATED, created, Set.of(), List.of(created.date()));
            return created;
        }));
    }

    /** PATCH by an operator: time, services, notes, address or assignees; whoever's time or assignment changed answers again. */
    public Appointment update(Caller p, long id, Long expectedVersion, AppointmentRequest.Edit e) {
        BookingRefusal.requireOperator(p);
        return db.write(h -> {
            db.lockRow(h, "appointments", id);
            Instant now = now();
            Appointment cur = appointments.find(h, id).orElseThrow(() -> notFound(id));
            checkVersion(cur, expectedVersion);
            if (!cur.status().editable()) throw invalidTransition(cur, "changed");
            List<Long> therapistIds = e.therapistIds() != null ? e.therapistIds() : cur.therapists().stream().map(Appointment.Assignee::id).toList();
            Long driverId = e.driverId() != null ? e.driverId().orElse(null) : cur.driver() == null ? null : cur.driver().id();
            if (new LinkedHashSet<>(therapistIds).size() != therapistIds.size() || therapistIds.isEmpty()) {
                throw BookingRefusal.invalidField("therapistIds", "must list at least one therapist, each once");
            }
            if (driverId != null && therapistIds.contains(driverId)) throw BookingRefusal.invalidField("driverId", "must not also be a therapist");
            Set<Long> lock = new TreeSet<>(assigneeIds(therapistIds, driverId));
            lockStaff(h, lock);
            List<Appointment.Line> lines = e.serviceIds() != null ? lines(h, e.serviceIds()) : cur.services();
            LocalDate date = e.date() != null ? e.date() : cur.date();
            LocalTime start = e.start() != null ? e.start() : cur.start();
            LocalTime end = e.end() != null ? e.end()
                    : (e.start() != null || e.serviceIds() != null) ? defaultEnd(start, lines) : cur.end();
            SlotTimes times = times(date, start, end);
            boolean timeChanged = !times.equals(cur.times());
            People people = people(h, therapistIds, driverId);
            Map<Long, Appointment.Assignee> before = new LinkedHashMap<>();
            cur.assignees().forEach(a -> before.put(a.id(), a));
            // availability is checked for whoever's time or assignment changed; the rest keep what they had
            Set<Long> newcomers = new TreeSet<>(assigneeIds(therapistIds, driverId));
            if (!timeChanged) newcomers.removeAll(before.keySet());
            boolean forcedNow = checkRules(h, people, times, e.force(), id, newcomers);
            List<Appointment.Assignee> therapists = people.therapists().stream().map(a -> carried(a, before, timeChanged)).toList();
            Appointment.Assignee driver = people.driver() == null ? null : carried(people.driver(), before, timeChanged);
            List<Appointment.Response> answers = new ArrayList<>();
            therapists.forEach(a -> answers.add(a.response()));
            if (driver != null) answers.add(driver.response());
            Appointment.Status status = BookingRules.fromAnswers(answers);
            boolean answersReset = timeChanged || !before.keySet().equals(assigneeIds(therapistIds, driverId));
            boolean forced = timeChanged ? forcedNow : cur.forced() || forcedNow;
            Appointment next = new Appointment(id, cur.client(),
                    e.address() != null ? e.address().orElse(null) : cur.address(),
                    e.notes() != null ? e.notes().orElse(null) : cur.notes(),
                    lines, therapists, driver, date, start, end, status, false, total(lines), forced, cur.payment(),
                    cur.version(), cur.history(), cur.createdAt(), now);
            appointments.update(h, next, times.in(zone), now);
            if (status != cur.status() || (answersReset && status == Appointment.Status.PENDING)) {
                appointments.addHistory(h, id, new Appointment.HistoryEntry(status, p.id(), now,
                        forcedNow && e.force() ? "Changed by an operator, outside availability (forced)." : "Changed by an operator."));
            }
            Appointment saved = view(appointments.find(h, id).orElseThrow(), now);
            Set<Long> removed = new TreeSet<>(cur.assigneeIds());
            removed.removeAll(saved.assigneeIds());
            record(h, p.id(), UPDATED, saved, removed, List.of(saved.date(), cur.date()));
            return saved;
        });
    }

    // ---- the workflow ----

    public Appointment accept(Caller p, long id) {
        return transition(p, id, (cur, now) -> {
            Appointment.Assignee me = assigneeOrForbidden(p, cur, "accept");
            if (cur.status() != Appointment.Status.PENDING) throw invalidTransition(cur, "accepted");
            if (me.response() == Appointment.Response.ACCEPTED) return null; // already accepted: nothing changes
            Appointment next = withAnswer(cur, me.id(), Appointment.Response.ACCEPTED, null);
            List<Appointment.Response> answers = next.assignees().stream().map(Appointment.Assignee::response).toList();
            Appointment.Status status = BookingRules.fromAnswers(answers);
            return new Step(withStatus(next, status, cur.payment()),
                    status == Appointment.Status.CONFIRMED ? new Appointment.HistoryEntry(status, p.id(), now, null) : null);
        });
    }

    public Appointment reject(Caller p, long id, String reason) {
        return transition(p, id, (cur, now) -> {
            Appointment.Assignee me = assigneeOrForbidden(p, cur, "reject");
            if (cur.status() != Appointment.Status.PENDING && cur.status() != Appointment.Status.CONFIRMED) {
                throw invalidTransition(cur, "rejected");
            }
            Appointment next = withAnswer(cur, me.id(), Appointment.Response.REJECTED, reason);
            return new Step(withStatus(next, Appointment.Status.REJECTED, cur.payment()),
                    new Appointment.HistoryEntry(Appointment.Status.REJECTED, p.id(), now, reason));
        });
    }

    public Appointment start(Caller p, long id) {
        return transition(p, id, (cur, now) -> {
            requireTherapistOrOperator(p, cur, "start");
            if (cur.status() != Appointment.Status.CONFIRMED) throw invalidTransition(cur, "started");
            return new Step(withStatus(cur, Appointment.Status.IN_PROGRESS, null),
                    new Appointment.HistoryEntry(Appointment.Status.IN_PROGRESS, p.id(), now, null));
        });
    }

    public Appointment complete(Caller p, long id, Appointment.Payment payment) {
        return transition(p, id, (cur, now) -> {
            requireTherapistOrOperator(p, cur, "complete");
            if (cur.status() != Appointment.Status.IN_PROGRESS) throw invalidTransition(cur, "completed");
            return new Step(withStatus(cur, Appointment.Status.COMPLETED, payment),
                    new Appointment.HistoryEntry(Appointment.Status.COMPLETED, p.id(), now,
                            "Paid " + payment.amountPaid() + " by " + payment.method().wire().replace('_', ' ') + "."));
        });
    }

    public Appointment cancel(Caller p, long id, String reason) {
        return transition(p, id, (cur, now) -> {
            if (!p.isOperator()) throw BookingRefusal.forbidden("Only operators can cancel an appointment.");
            if (cur.status() == Appointment.Status.COMPLETED || cur.status() == Appointment.Status.CANCELLED) {
                throw invalidTransition(cur, "cancelled");
            }
            return new Step(withStatus(cur, Appointment.Status.CANCELLED, cur.payment()),
                    new Appointment.HistoryEntry(Appointment.Status.CANCELLED, p.id(), now, reason));
        });
    }

    /** The next state and its history entry (null: no status change); a null step changes nothing. */
    private record Step(Appointment next, Appointment.HistoryEntry entry) {
    }

    private interface Transition {
        Step apply(Appointment current, Instant now);
    }

    private Appointment transition(Caller p, long id, Transition t) {
        return db.write(h -> {
            db.lockRow(h, "appointments", id);
            Instant now = now();
            Appointment cur = visible(h, p, id);
            Step step = t.apply(cur, now);
            if (step == null) return view(cur, now);
            appointments.update(h, step.next(), cur.times().in(zone), now);
            if (step.entry() != null) appointments.addHistory(h, id, step.entry());
            Appointment saved = view(appointments.find(h, id).orElseThrow(), now);
            record(h, p.id(), UPDATED, saved, Set.of(), List.of(saved.date()));
            return saved;
        });
    }

    // ---- rules ----

    /** Therapists and the driver, validated: known, of the right role (400), active (409). */
    private record People(List<Appointment.Assignee> therapists, Appointment.Assignee driver, List<Staff> all) {
    }

    private People people(Handle h, List<Long> therapistIds, Long driverId) {
        List<Staff> all = new ArrayList<>();
        List<Appointment.Assignee> therapists = new ArrayList<>();
        for (long tid : therapistIds) {
            Staff s = staff.find(h, tid).orElseThrow(() -> BookingRefusal.invalidField("therapistIds", "lists " + tid + ", who is not a staff member"));
            if (s.role() != Role.THERAPIST) {
                throw BookingRefusal.invalidField("therapistIds", "lists " + s.name() + ", who is a " + s.role().wire() + ", not a therapist");
            }
            all.add(s);
            therapists.add(new Appointment.Assignee(s.id(), s.name(), Appointment.Response.PENDING, null));
        }
        Appointment.Assignee driver = null;
        if (driverId != null) {
            Staff s = staff.find(h, driverId).orElseThrow(() -> BookingRefusal.invalidField("driverId", "is not a staff member"));
            if (s.role() != Role.DRIVER) throw BookingRefusal.invalidField("driverId", "is " + s.name() + ", who is a " + s.role().wire() + ", not a driver");
            all.add(s);
            driver = new Appointment.Assignee(s.id(), s.name(), Appointment.Response.PENDING, null);
        }
        List<Staff> inactive = all.stream().filter(s -> !s.active()).toList();
        if (!inactive.isEmpty()) {
            throw new BookingRefusal(BookingRefusal.Reason.STAFF_INACTIVE, names(inactive) + (inactive.size() == 1 ? "'s account is" : "'s accounts are")
                    + " disabled, so they cannot be booked.", Map.of(), Map.of("staffIds", inactive.stream().map(Staff::id).toList()));
        }
        return new People(therapists, driver, all);
    }

    /**
     * The travel buffer against every other visit holding each person's time (409 STAFF_BOOKED, never forced), then
     * coverage by availability (409 NOT_AVAILABLE unless forced) of the people in {@code coverageFor} (null: everyone).
     * Returns whether the booking is forced.
     */
    private boolean checkRules(Handle h, People people, SlotTimes times, boolean force, Long self, Set<Long> coverageFor) {
        SlotTimes.Interval when = times.in(zone);
        for (Staff s : people.all()) {
            List<BookingRules.Busy> others = appointments.holding(h, s.id(), when.start().minus(travelBuffer), when.end().plus(travelBuffer))
                    .stream().filter(o -> self == null || o.appointmentId() != self)
                    .map(o -> new BookingRules.Busy(o.appointmentId(), o.interval())).toList();
            Optional<BookingRules.Busy> clash = BookingRules.clash(when, others, travelBuffer);
            if (clash.isPresent()) {
                BookingRules.Busy other = clash.get();
                throw new BookingRefusal(BookingRefusal.Reason.STAFF_BOOKED, s.name() + " already has appointment " + other.appointmentId() + " at "
                        + local(other.interval()) + "; visits need " + travelBuffer.toMinutes() + " minutes between them for travel.",
                        Map.of(), Map.of("staffId", s.id(), "appointmentId", other.appointmentId()));
            }
        }
        List<Staff> uncovered = people.all().stream()
                .filter(s -> coverageFor == null || coverageFor.contains(s.id()))
                .filter(s -> !BookingRules.covered(when, slots.forStaffBetween(h, s.id(), times.date().minusDays(1), times.date().plusDays(1)), zone))
                .toList();
        if (uncovered.isEmpty()) return false;
        if (force) return true;
        throw new BookingRefusal(BookingRefusal.Reason.NOT_AVAILABLE, names(uncovered) + (uncovered.size() == 1 ? " is" : " are")
                + " not available for the whole visit. Choose someone else or another time, or book it anyway with force.",
                Map.of(), Map.of("staffIds", uncovered.stream().map(Staff::id).toList()));
    }

    private String local(SlotTimes.Interval i) {
        return HUMAN_DATE.format(i.start().atZone(zone)) + " " + i.start().atZone(zone).toLocalTime() + "–" + i.end().atZone(zone).toLocalTime();
    }

    // ---- helpers ----

    private Appointment visible(Handle h, Caller p, long id) {
        return appointments.find(h, id).filter(a -> p.isOperator() || a.assigneeIds().contains(p.id())).orElseThrow(() -> notFound(id));
    }

    private static Appointment.Assignee assigneeOrForbidden(Caller p, Appointment a, String verb) {
        return a.assignees().stream().filter(x -> x.id() == p.id()).findFirst()
                .orElseThrow(() -> BookingRefusal.forbidden("Only the assigned therapists and driver can " + verb + " this appointment."));
    }

    private static void requireTherapistOrOperator(Caller p, Appointment a, String verb) {
        if (p.isOperator()) return;
        if (a.therapists().stream().noneMatch(t -> t.id() == p.id())) {
            throw BookingRefusal.forbidden("Only an assigned therapist or an operator can " + verb + " this appointment.");
        }
    }

    private static BookingRefusal invalidTransition(Appointment a, String verb) {
        return new BookingRefusal(BookingRefusal.Reason.INVALID_TRANSITION, "This appointment is " + a.status().wire().replace('_', ' ')
                + ", so it cannot be " + verb + ".", Map.of(), Map.of("status", a.status().wire()));
    }

    private static BookingRefusal notFound(long id) {
        return BookingRefusal.notFound("Appointment " + id);
    }

    private static void checkVersion(Appointment cur, Long expected) {
        if (expected != null && expected != cur.version()) {
            throw new BookingRefusal(BookingRefusal.Reason.VERSION_MISMATCH, "This appointment was changed by someone else (now version "
                    + cur.version() + "). Reload it and try again.", Map.of(), Map.of("currentVersion", cur.version()));
        }
    }

    private static Appointment.Assignee carried(Appointment.Assignee fresh, Map<Long, Appointment.Assignee> before, boolean timeChanged) {
        Appointment.Assignee old = before.get(fresh.id());
        return old == null || timeChanged ? fresh : old;
    }

    private static Appointment withAnswer(Appointment a, long staffId, Appointment.Response r, String reason) {
        List<Appointment.Assignee> therapists = a.therapists().stream().map(t -> t.id() == staffId ? t.answered(r, reason) : t).toList();
        Appointment.Assignee driver = a.driver() != null && a.driver().id() == staffId ? a.driver().answered(r, reason) : a.driver();
        return new Appointment(a.id(), a.client(), a.address(), a.notes(), a.services(), therapists, driver, a.date(), a.start(), a.end(),
                a.status(), a.overdue(), a.total(), a.forced(), a.payment(), a.version(), a.history(), a.createdAt(), a.updatedAt());
    }

    private static Appointment withStatus(Appointment a, Appointment.Status s, Appointment.Payment payment) {
        return new Appointment(a.id(), a.client(), a.address(), a.notes(), a.services(), a.therapists(), a.driver(), a.date(), a.start(),
                a.end(), s, a.overdue(), a.total(), a.forced(), payment, a.version(), a.history(), a.createdAt(), a.updatedAt());
    }

    private List<Appointment.Line> lines(Handle h, List<Long> serviceIds) {
        if (serviceIds.isEmpty()) throw BookingRefusal.invalidField("serviceIds", "must list at least one service");
        Map<Long, Treatment> found = treatments.findAll(h, serviceIds).stream().collect(Collectors.toMap(Treatment::id, t -> t));
        List<Appointment.Line> lines = new ArrayList<>();
        for (long sid : serviceIds) {
            Treatment t = found.get(sid);
            if (t == null) throw BookingRefusal.invalidField("serviceIds", "lists " + sid + ", which is not a known service");
            if (!t.active()) throw BookingRefusal.invalidField("serviceIds", "lists " + t.name() + ", which is no longer offered");
            lines.add(new Appointment.Line(t.id(), t.name(), t.durationMinutes(), t.price()));
        }
        return lines;
    }

    private static LocalTime defaultEnd(LocalTime start, List<Appointment.Line> lines) {
        try {
            return BookingRules.defaultEnd(start, lines.stream().map(Appointment.Line::durationMinutes).toList());
        } catch (IllegalArgumentException e) {
            throw BookingRefusal.invalidField("serviceIds", "must add up to less than 24 hours");
        }
    }

    private static SlotTimes times(LocalDate date, LocalTime start, LocalTime end) {
        if (start.equals(end)) {
            throw new BookingRefusal(BookingRefusal.Reason.INVALID_RANGE, "The end time must differ from the start time "
                    + "(an end before the start means the visit runs past midnight).", Map.of("end", "equals start"), Map.of());
        }
        return new SlotTimes(date, start, end);
    }

    private static Money total(List<Appointment.Line> lines) {
        return lines.stream().map(Appointment.Line::price).reduce(Money.ZERO, Money::plus);
    }

    private static Set<Long> assigneeIds(List<Long> therapists, Long driver) {
        Set<Long> ids = new TreeSet<>(therapists);
        if (driver != null) ids.add(driver);
        return ids;
    }

    /** Locks each person's staff row in id order (so two bookings sharing people cannot deadlock). */
    private void lockStaff(Handle h, Set<Long> ids) {
        for (long id : new TreeSet<>(ids)) staff.findForUpdate(h, id);
    }

    private static String names(List<Staff> people) {
        return people.stream().map(Staff::name).collect(Collectors.joining(", "));
    }

    private Appointment view(Appointment a, Instant now) {
        return a.withOverdue(BookingRules.overdue(a.status(), a.pendingSince(), now, responseWindow));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The one place appointments reach the change log: the visit goes to its assignees (and operators); people
     * taken off it get one {@code appointment_removed} with the id only, no client details.
     */
    private void record(Handle h, long actorId, String type, Appointment a, Set<Long> removed, List<LocalDate> dates) {
        JsonNode data = Json.tree(a);
        if (!removed.isEmpty()) {
            changes.append(h, new NewChange(REMOVED, actorId, Audience.of(removed), dates, Json.tree(Map.of("id", a.id())), null));
        }
        changes.append(h, new NewChange(type, actorId, Audience.of(a.assigneeIds()), dates, data, null));
    }
}
