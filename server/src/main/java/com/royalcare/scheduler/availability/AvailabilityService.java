package com.royalcare.scheduler.availability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.idempotency.Idempotent;
import com.royalcare.scheduler.staff.Role;
import com.royalcare.scheduler.staff.Staff;
import com.royalcare.scheduler.staff.StaffDirectory;
import com.royalcare.scheduler.sync.ChangeLog;
import com.royalcare.scheduler.sync.Audience;
import com.royalcare.scheduler.sync.NewChange;
import com.royalcare.scheduler.web.Caller;
import com.royalcare.scheduler.web.Json;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Availability rules around the repository: who may touch which slots, the no-overlap rule, and
 * optimistic versions. Every write locks the staff member's row first (PostgreSQL; SQLite writers
 * are serial anyway), so "check for overlap, then insert" cannot race with a parallel request.
 * A broken rule is an {@link AvailabilityRefusal}; the handler decides what HTTP makes of it.
 */
public final class AvailabilityService {

    public static final String CREATED = "availability_created";
    public static final String UPDATED = "availability_updated";
    public static final String DELETED = "availability_deleted";
    static final DateTimeFormatter HUMAN_DATE = DateTimeFormatter.ofPattern("EEE d MMM yyyy", java.util.Locale.ENGLISH);

    public record Listing(long seq, List<Slot> items) {
    }

    private final Database db;
    private final AvailabilityRepository slots;
    private final StaffDirectory staff;
    private final ChangeLog changes;
    private final ZoneId zone;
    private final Clock clock;
    private final java.util.function.Supplier<Bookings> bookings;

    /** With the system clock. */
    public AvailabilityService(Database db, AvailabilityRepository slots, StaffDirectory staff, ChangeLog changes, ZoneId zone) {
        this(db, slots, staff, changes, zone, Clock.systemUTC(), () -> Bookings.NONE);
    }

    /**
     * @param clock    "now" for the date rules (no past, at most a year ahead)
     * @param bookings the appointments that hold staff time (a supplier, since the booking feature is built after this)
     */
    public AvailabilityService(Database db, AvailabilityRepository slots, StaffDirectory staff, ChangeLog changes, ZoneId zone,
                               Clock clock, java.util.function.Supplier<Bookings> bookings) {
        this.db = db;
        this.slots = slots;
        this.staff = staff;
        this.changes = changes;
        this.zone = zone;
        this.clock = clock;
        this.bookings = bookings;
    }

    public Listing list(Caller p, Long staffId, LocalDate from, LocalDate to) {
        Long scope = readableScope(p, staffId);
        return db.read(h -> new Listing(changes.head(h), slots.list(h, new AvailabilityRepository.Query(scope, from, to))));
    }

    public Slot get(Caller p, long id) {
        return db.read(h -> slots.find(h, id)).filter(slot -> p.mayActFor(slot.staffId())).orElseThrow(() -> slotNotFound(id));
    }

    public Slot create(Caller p, Long requestedStaffId, SlotDraft draft) {
        return create(p, requestedStaffId, draft, false, Idempotent.none());
    }

    public Slot create(Caller p, Long requestedStaffId, SlotDraft draft, boolean force) {
        return create(p, requestedStaffId, draft, force, Idempotent.none());
    }

    public Slot create(Caller p, Long requestedStaffId, SlotDraft draft, Idempotent<Slot> once) {
        return create(p, requestedStaffId, draft, false, once);
    }

    /**
     * Creates a slot; a retry with the same idempotency key gets the first answer and creates nothing.
     *
     * @param force an operator's "do it even though appointments need this time"
     */
    public Slot create(Caller p, Long requestedStaffId, SlotDraft draft, boolean force, Idempotent<Slot> once) {
        long staffId = writableStaff(p, requestedStaffId);
        checkDates(p, draft.times());
        requireMayForce(p, force);
        return db.write(h -> once.inTransaction(h, () -> {
            requireActiveStaffWithAvailability(h, staffId);
            checkNoOverlap(h, staffId, draft, null);
            if (!draft.available()) checkBookings(h, staffId, null, draft, force);
            return insertLogged(h, p.id(), staffId, draft);
        }));
    }

    public Slot update(Caller p, long id, Long expectedVersion, Long requestedStaffId, SlotEdit edit) {
        return update(p, id, expectedVersion, requestedStaffId, edit, false);
    }

    /**
     * PUT and PATCH: {@code edit} turns the current slot into the wanted one, inside the transaction.
     *
     * @param requestedStaffId whose slot the client says this is (null: not said); it must be the slot's own
     * @param force            an operator's "do it even though appointments need this time"
     */
    public Slot update(Caller p, long id, Long expectedVersion, Long requestedStaffId, SlotEdit edit, boolean force) {
        long staffId = staffOf(p, id);
        requireMayForce(p, force);
        return db.write(h -> {
            lockStaffWithAvailability(h, staffId);
            Slot current = currentVersion(h, id, expectedVersion);
            if (requestedStaffId != null && requestedStaffId != current.staffId()) {
                throw AvailabilityRefusal.of(AvailabilityRefusal.Reason.OTHER_STAFF, "A slot cannot be moved to another staff member.");
            }
            if (!p.isOperator() && ended(current.times())) {
                throw AvailabilityRefusal.of(AvailabilityRefusal.Reason.SLOT_ENDED, "This slot has already ended, so it can no longer "
                        + "be changed; ask an operator to correct past availability.");
            }
            SlotDraft wanted = edit.applyTo(current);
            checkDates(p, wanted.times());
            checkNoOverlap(h, staffId, wanted, id);
            checkBookings(h, staffId, current, wanted, force);
            Slot updated = slots.update(h, id, wanted, p.id());
            ObjectNode data = (ObjectNode) Json.tree(updated);
            if (!current.date().equals(updated.date())) data.put("previousDate", current.date().toString());
            // a slot moved to another day concerns both days (date filters match either)
            logChange(h, new NewChange(UPDATED, p.id(), Audience.of(staffId), List.of(updated.date(), current.date()), data, null));
            return updated;
        });
    }

    public void delete(Caller p, long id, Long expectedVersion) {
        delete(p, id, expectedVersion, false);
    }

    public void delete(Caller p, long id, Long expectedVersion, boolean force) {
        long staffId = staffOf(p, id);
        requireMayForce(p, force);
        db.write(h -> {
            staff.findForUpdate(h, staffId);
            Slot current = currentVersion(h, id, expectedVersion);
            checkBookings(h, staffId, current, null, force);
            slots.delete(h, id);
            logChange(h, NewChange.about(DELETED, p.id(), staffId, current.date(),
                    Json.tree(Map.of("id", id, "staffId", staffId, "date", current.date().toString()))));
            return null;
        });
    }

    // ---- The create path and overlap rule, shared with the weekly schedule (same package, same transaction) ----

    /** Inserts a slot and logs {@value #CREATED}, in the caller's transaction; every created slot goes through here. */
    Slot insertLogged(Handle h, Long actorId, long staffId, SlotDraft draft) {
        Slot created = slots.insert(h, staffId, draft, actorId);
        logChange(h, NewChange.about(CREATED, actorId, staffId, created.date(), Json.tree(created)));
        return created;
    }

    /**
     * The no-overlap rule: the first slot of {@code staffId} (other than {@code ignoreId}) for which
     * {@code relevant} holds and whose real-time interval overlaps {@code draft}'s. Overnight slots
     * from the day before and into the day after count.
     */
    /** The first visit (lowest id) holding {@code staffId}'s time within {@code interval}, if any. */
    Optional<Long> bookedDuring(Handle h, long staffId, SlotTimes.Interval interval) {
        return bookings.get().holdingTime(h, staffId, interval).stream().map(Bookings.Held::appointmentId).min(Long::compare);
    }

    Optional<Slot> findClash(Handle h, long staffId, SlotDraft draft, Long ignoreId, Predicate<Slot> relevant) {
        SlotTimes.Interval wanted = interval(draft.times());
        LocalDate date = draft.times().date();
        return slots.forStaffBetween(h, staffId, date.minusDays(1), date.plusDays(1)).stream()
                .filter(s -> ignoreId == null || s.id() != ignoreId)
                .filter(relevant)
                .filter(s -> s.times().realInterval(zone).map(i -> i.overlaps(wanted)).orElse(false))
                .findFirst();
    }

    /** The slots of one staff member whose own date lies in [from, to]. */
    List<Slot> slotsOf(Handle h, long staffId, LocalDate from, LocalDate to) {
        return slots.forStaffBetween(h, staffId, from, to);
    }

    /** Locks the staff member's row for the transaction and checks they are an active therapist or driver. */
    void lockStaffWithAvailability(Handle h, long staffId) {
        requireActiveStaffWithAvailability(h, staffId);
    }

    /** True when the slot's real end is not after now. */
    boolean ended(SlotTimes t) {
        return t.realInterval(zone).map(i -> !i.end().isAfter(clock.instant())).orElse(false);
    }

    /** The last date a therapist or driver may put availability on: one year from today, business-local. */
    LocalDate lastDateAhead() {
        return LocalDate.now(clock.withZone(zone)).plusYears(1);
    }

    /** Date sanity: real times only; therapists and drivers neither in the past nor more than a year ahead. */
    private void checkDates(Caller p, SlotTimes t) {
        interval(t);
        if (p.isOperator()) return; // operators correct the past
        if (ended(t)) {
            throw AvailabilityRefusal.of(AvailabilityRefusal.Reason.IN_THE_PAST, "This slot would end in the past ("
                    + HUMAN_DATE.format(t.date()) + " " + t.start() + "–" + t.end() + "); only an operator can correct past availability.");
        }
        if (t.date().isAfter(lastDateAhead())) {
            throw AvailabilityRefusal.of(AvailabilityRefusal.Reason.TOO_FAR_AHEAD, "Availability can be set at most a year ahead, until "
                    + HUMAN_DATE.format(lastDateAhead()) + ".");
        }
    }

    private SlotTimes.Interval interval(SlotTimes t) {
        return t.realInterval(zone).orElseThrow(() -> AvailabilityRefusal.of(AvailabilityRefusal.Reason.NO_SUCH_TIME,
                "These times do not exist on " + HUMAN_DATE.format(t.date())
                        + ": the clocks change that night. Choose times outside the skipped hour."));
    }

    /** The one place availability changes are logged. */
    private void logChange(Handle h, NewChange change) {
        changes.append(h, change);
    }

    /**
     * Active staff (optionally of one role) whose available slots cover the whole interval and who have no unavailable
     * block in it. Need to know: operators learn it of everyone, anyone else only of themself.
     */
    public List<Staff> availableStaff(Caller p, SlotTimes wanted, Role role) {
        SlotTimes.Interval interval = wanted.in(zone);
        return db.read(h -> staff.list(h, role, true).stream()
                .filter(s -> p.mayActFor(s.id()))
                .filter(s -> s.role().hasAvailability())
                .filter(s -> {
                    // A slot can reach into `wanted` from the day before (overnight) and wanted may run into the next day.
                    List<Slot> near = slots.forStaffBetween(h, s.id(), wanted.date().minusDays(1), wanted.date().plusDays(1));
                    List<SlotTimes.Interval> free = near.stream().filter(Slot::available).map(x -> x.times().in(zone)).toList();
                    List<SlotTimes.Interval> blocked = near.stream().filter(x -> !x.available()).map(x -> x.times().in(zone)).toList();
                    return Coverage.isFree(interval, free, blocked) && !bookings.get().busy(h, s.id(), interval);
                })
                .toList());
    }

    /** Whose slot this is; someone else's slot is as missing as one that never existed (404, not 403). */
    private long staffOf(Caller p, long slotId) {
        return db.read(h -> slots.find(h, slotId)).filter(slot -> p.mayActFor(slot.staffId()))
                .orElseThrow(() -> slotNotFound(slotId)).staffId();
    }

    private Slot currentVersion(Handle h, long id, Long expectedVersion) {
        Slot current = slots.find(h, id).orElseThrow(() -> slotNotFound(id));
        if (expectedVersion != null && expectedVersion != current.version()) {
            throw AvailabilityRefusal.versionMismatch(current.version(), "This slot was changed by someone else (now version "
                    + current.version() + "). Reload it and try again.");
        }
        return current;
    }

    private void checkNoOverlap(Handle h, long staffId, SlotDraft draft, Long ignoreId) {
        findClash(h, staffId, draft, ignoreId, s -> s.available() == draft.available()).ifPresent(clash -> {
            throw AvailabilityRefusal.overlap(clash.id(), "This overlaps the " + (clash.available() ? "available" : "unavailable")
                    + " slot " + clash.start() + "–" + clash.end() + " on " + HUMAN_DATE.format(clash.date()) + ".");
        });
    }

    /**
     * Appointments that were covered by this staff member's slots before the change and would not be after it:
     * 409 SLOT_HAS_BOOKINGS naming them, unless forced. {@code removed} is the slot as it was (null for a create),
     * {@code added} what it becomes (null for a delete).
     */
    private void checkBookings(Handle h, long staffId, Slot removed, SlotDraft added, boolean force) {
        if (force) return;
        List<SlotTimes.Interval> touched = new java.util.ArrayList<>();
        if (removed != null) touched.add(removed.times().in(zone));
        if (added != null) touched.add(added.times().in(zone));
        SlotTimes.Interval window = new SlotTimes.Interval(
                touched.stream().map(SlotTimes.Interval::start).min(java.util.Comparator.naturalOrder()).orElseThrow(),
                touched.stream().map(SlotTimes.Interval::end).max(java.util.Comparator.naturalOrder()).orElseThrow());
        List<Bookings.Held> held = bookings.get().needingAvailability(h, staffId, window);
        if (held.isEmpty()) return;
        LocalDate from = window.start().atZone(zone).toLocalDate().minusDays(2);
        LocalDate to = window.end().atZone(zone).toLocalDate().plusDays(2);
        List<Slot> before = slots.forStaffBetween(h, staffId, from, to);
        List<SlotDraft> after = new java.util.ArrayList<>(before.stream()
                .filter(s -> removed == null || s.id() != removed.id())
                .map(s -> new SlotDraft(s.times(), s.available(), s.note())).toList());
        if (added != null) after.add(added);
        List<SlotDraft> beforeDrafts = before.stream().map(s -> new SlotDraft(s.times(), s.available(), s.note())).toList();
        List<Long> losing = held.stream()
                .filter(b -> covers(beforeDrafts, b.interval()) && !covers(after, b.interval()))
                .map(Bookings.Held::appointmentId).distinct().sorted().toList();
        if (losing.isEmpty()) return;
        throw AvailabilityRefusal.hasBookings(losing, (losing.size() == 1 ? "Appointment " : "Appointments ")
                + losing.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                + " need" + (losing.size() == 1 ? "s" : "") + " this time. Move or cancel "
                + (losing.size() == 1 ? "it" : "them") + " first, or an operator can force the change.");
    }

    private boolean covers(List<SlotDraft> drafts, SlotTimes.Interval wanted) {
        List<SlotTimes.Interval> free = drafts.stream().filter(SlotDraft::available).map(d -> d.times().in(zone)).toList();
        List<SlotTimes.Interval> blocked = drafts.stream().filter(d -> !d.available()).map(d -> d.times().in(zone)).toList();
        return Coverage.isFree(wanted, free, blocked);
    }

    private static void requireMayForce(Caller p, boolean force) {
        if (force && !p.isOperator()) {
            throw AvailabilityRefusal.of(AvailabilityRefusal.Reason.FORCE_NOT_ALLOWED, "Only operators can force a change that affects appointments.");
        }
    }

    private void requireActiveStaffWithAvailability(Handle h, long staffId) {
        Staff s = staff.findForUpdate(h, staffId).orElseThrow(() -> AvailabilityRefusal.of(AvailabilityRefusal.Reason.STAFF_NOT_FOUND,
                "Staff member " + staffId + " was not found."));
        if (!s.role().hasAvailability()) {
            throw AvailabilityRefusal.of(AvailabilityRefusal.Reason.NO_AVAILABILITY,
                    "Operators have no availability of their own; choose a therapist or driver.");
        }
        if (!s.active()) {
            throw AvailabilityRefusal.of(AvailabilityRefusal.Reason.STAFF_INACTIVE,
                    s.name() + "'s account is disabled, so their availability cannot be changed.");
        }
    }

    ZoneId zone() {
        return zone;
    }

    Clock clock() {
        return clock;
    }

    /** Which staff member a write is for: yourself, or anyone if you are an operator. */
    long writableStaff(Caller p, Long requested) {
        if (requested == null) {
            if (p.isOperator()) {
                throw AvailabilityRefusal.of(AvailabilityRefusal.Reason.STAFF_REQUIRED,
                        "Operators have no availability of their own; say whose slot this is.");
            }
            return p.id();
        }
        requireMayActFor(p, requested);
        return requested;
    }

    private Long readableScope(Caller p, Long requested) {
        if (p.isOperator()) return requested;
        if (requested != null) requireMayActFor(p, requested);
        return p.id();
    }

    static void requireMayActFor(Caller p, long staffId) {
        if (!p.mayActFor(staffId)) {
            throw AvailabilityRefusal.of(AvailabilityRefusal.Reason.NOT_YOURS, "You can only see and change your own availability.");
        }
    }

    private static AvailabilityRefusal slotNotFound(long id) {
        return AvailabilityRefusal.of(AvailabilityRefusal.Reason.SLOT_NOT_FOUND, "Availability slot " + id + " was not found.");
    }
}
