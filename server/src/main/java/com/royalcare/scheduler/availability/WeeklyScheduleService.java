package com.royalcare.scheduler.availability;

import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.idempotency.Idempotent;
import com.royalcare.scheduler.staff.Staff;
import com.royalcare.scheduler.staff.StaffDirectory;
import com.royalcare.scheduler.sync.Audience;
import com.royalcare.scheduler.sync.ChangeLog;
import com.royalcare.scheduler.sync.NewChange;
import com.royalcare.scheduler.web.Caller;
import com.royalcare.scheduler.web.Json;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Usual weeks: reading and saving them, applying them to dates, copying a day, and keeping them
 * applied ahead. Per-date slots stay the truth: applying only ever adds slots, and a window that
 * would overlap any existing slot or unavailable block is skipped and reported. Every slot is
 * created through {@link AvailabilityService#insertLogged}, checked by its overlap rule
 * ({@link AvailabilityService#findClash}), under the same per-staff row lock.
 */
public final class WeeklyScheduleService {

    public static final String UPDATED = "weekly_schedule_updated";
    public static final int MAX_APPLY_DAYS = 92;
    private static final Logger LOG = LoggerFactory.getLogger(WeeklyScheduleService.class);

    /** What saving a week came to. */
    public sealed interface SaveOutcome {
        record Saved(WeeklySchedule schedule) implements SaveOutcome {
        }

        /** The If-Match version was not the current one; nothing was stored. */
        record Stale(WeeklySchedule current) implements SaveOutcome {
        }

        /** Windows that would overlap in real time; nothing was stored. */
        record Overlapping(List<WeekTemplate.Overlap> overlaps) implements SaveOutcome {
        }
    }

    /** A window or slot that was not created, and why: overlap, already_there, booked, past, too_far_ahead, no_such_time. */
    public record Skip(LocalDate date, String start, String end, String reason, Long conflictingSlotId,
                       Long conflictingAppointmentId, String message) {
    }

    public record Result(List<Slot> created, List<Skip> skipped) {
    }

    private final Database db;
    private final WeeklyScheduleRepository weeks;
    private final AvailabilityService availability;
    private final StaffDirectory staff;
    private final ChangeLog changes;
    private final ZoneId zone;
    private final Clock clock;
    private final int horizonWeeks;

    public WeeklyScheduleService(Database db, WeeklyScheduleRepository weeks, AvailabilityService availability,
                                 StaffDirectory staff, ChangeLog changes, int horizonWeeks) {
        this.db = db;
        this.weeks = weeks;
        this.availability = availability;
        this.staff = staff;
        this.changes = changes;
        this.zone = availability.zone();
        this.clock = availability.clock();
        this.horizonWeeks = horizonWeeks;
    }

    public int horizonWeeks() {
        return horizonWeeks;
    }

    public WeeklySchedule get(Caller p, long staffId) {
        AvailabilityService.requireMayActFor(p, staffId);
        return db.read(h -> {
            requireStaffWithAvailability(h, staffId);
            return weeks.find(h, staffId).orElse(WeeklySchedule.none(staffId));
        });
    }

    /** Saves the week when {@code expectedVersion} (null: any) is current; with autoApply on, fills the horizon in the same transaction. */
    public SaveOutcome save(Caller p, long staffId, Long expectedVersion, WeekTemplate days, boolean autoApply) {
        AvailabilityService.requireMayActFor(p, staffId);
        List<WeekTemplate.Overlap> overlaps = days.overlaps();
        if (!overlaps.isEmpty()) return new SaveOutcome.Overlapping(overlaps);
        return db.write(h -> {
            availability.lockStaffWithAvailability(h, staffId);
            WeeklySchedule current = weeks.find(h, staffId).orElse(WeeklySchedule.none(staffId));
            if (expectedVersion != null && expectedVersion != current.version()) return new SaveOutcome.Stale(current);
            WeeklySchedule saved = weeks.save(h, staffId, days, autoApply, p.id());
            logChange(h, p.id(), saved);
            if (autoApply) fillHorizon(h, staffId, saved);
            return new SaveOutcome.Saved(saved);
        });
    }

    /** Creates, in one transaction, the slots the week gives for each date in [from, to]. */
    public Result apply(Caller p, Long requestedStaffId, LocalDate from, LocalDate to, Idempotent<Result> once) {
        long staffId = availability.writableStaff(p, requestedStaffId);
        checkRange(p, from, to);
        return db.write(h -> once.inTransaction(h, () -> {
            availability.lockStaffWithAvailability(h, staffId);
            WeeklySchedule week = weeks.find(h, staffId).orElse(WeeklySchedule.none(staffId));
            List<SlotDraft> wanted = week.template().expand(from, to, zone).stream()
                    .map(o -> new SlotDraft(o.times(), true, null)).toList();
            return place(h, p.id(), staffId, wanted, !p.isOperator());
        }));
    }

    /** Copies {@code fromDate}'s slots (available and unavailable, with their notes) to each of {@code toDates}. */
    public Result copy(Caller p, Long requestedStaffId, LocalDate fromDate, List<LocalDate> toDates, Idempotent<Result> once) {
        long staffId = availability.writableStaff(p, requestedStaffId);
        for (LocalDate d : toDates) checkRange(p, d, d);
        return db.write(h -> once.inTransaction(h, () -> {
            availability.lockStaffWithAvailability(h, staffId);
            List<Slot> source = availability.slotsOf(h, staffId, fromDate, fromDate);
            List<SlotDraft> wanted = new ArrayList<>();
            for (LocalDate d : toDates) {
                for (Slot s : source) wanted.add(new SlotDraft(new SlotTimes(d, s.start(), s.end()), s.available(), s.note()));
            }
            return place(h, p.id(), staffId, wanted, !p.isOperator());
        }));
    }

    /**
     * The automatic apply: for every week with autoApply on, the days from today through the
     * horizon that no run (on any node) has filled yet. One transaction per staff member. Returns
     * the number of slots created.
     */
    public int autoApplyDue() {
        int created = 0;
        for (long staffId : db.read(weeks::autoApplyStaff)) {
            try {
                created += db.write(h -> {
                    availability.lockStaffWithAvailability(h, staffId);
                    Optional<WeeklySchedule> week = weeks.find(h, staffId);
                    return week.isPresent() && week.get().autoApply() ? fillHorizon(h, staffId, week.get()) : 0;
                });
            } catch (AvailabilityRefusal e) {
                LOG.info("Weekly schedule of staff {} not applied: {}", staffId, e.getMessage()); // e.g. a disabled account
            }
        }
        return created;
    }

    /** Claims each unfilled day of the horizon and creates its windows; the claim is the guard against a second node. */
    private int fillHorizon(Handle h, long staffId, WeeklySchedule week) {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        LocalDate last = today.plusWeeks(horizonWeeks).minusDays(1);
        List<SlotDraft> wanted = new ArrayList<>();
        for (LocalDate d = today; !d.isAfter(last); d = d.plusDays(1)) {
            if (!weeks.claimDay(h, staffId, d)) continue;
            for (WeekTemplate.Occurrence o : week.template().expand(d, d, zone)) wanted.add(new SlotDraft(o.times(), true, null));
        }
        return place(h, null, staffId, wanted, true).created().size();
    }

    /** Creates each wanted slot unless it would overlap what is already there (or was just created, of the same kind). */
    private Result place(Handle h, Long actorId, long staffId, List<SlotDraft> wanted, boolean skipEnded) {
        List<Slot> created = new ArrayList<>();
        List<Skip> skipped = new ArrayList<>();
        Set<Long> mine = new HashSet<>();
        for (SlotDraft d : wanted) {
            SlotTimes t = d.times();
            Optional<SlotTimes.Interval> real = t.realInterval(zone);
            if (real.isEmpty()) {
                skipped.add(skip(t, "no_such_time", null, "These times do not exist that day: the clocks change that night."));
                continue;
            }
            if (skipEnded && availability.ended(t)) {
                skipped.add(skip(t, "past", null, "This time is already over."));
                continue;
            }
            Optional<Slot> clash = availability.findClash(h, staffId, d, null,
                    s -> !mine.contains(s.id()) || s.available() == d.available());
            if (clash.isPresent()) {
                Slot c = clash.get();
                boolean same = c.date().equals(t.date()) && c.start().equals(t.start()) && c.end().equals(t.end())
                        && c.available() == d.available();
                skipped.add(same
                        ? skip(t, "already_there", c.id(), "Already in the availability.")
                        : skip(t, "overlap", c.id(), "Overlaps the " + (c.available() ? "available slot " : "unavailable block ")
                                + c.start() + "–" + c.end() + " on " + AvailabilityService.HUMAN_DATE.format(c.date()) + "."));
                continue;
            }
            Optional<Long> booked = availability.bookedDuring(h, staffId, real.get());
            if (booked.isPresent()) { // a visit booked here (forced, outside availability) is left as the operator set it
                skipped.add(new Skip(t.date(), hhmm(t.start()), hhmm(t.end()), "booked", null, booked.get(),
                        "Appointment " + booked.get() + " is booked in this time."));
                continue;
            }
            Slot s = availability.insertLogged(h, actorId, staffId, d);
            mine.add(s.id());
            created.add(s);
        }
        return new Result(created, skipped);
    }

    private static Skip skip(SlotTimes t, String reason, Long conflictingSlotId, String message) {
        return new Skip(t.date(), hhmm(t.start()), hhmm(t.end()), reason, conflictingSlotId, null, message);
    }

    private static String hhmm(LocalTime t) {
        return String.format("%02d:%02d", t.getHour(), t.getMinute());
    }

    /** Therapists and drivers fill dates from today up to a year ahead; operators may also fill the past. */
    private void checkRange(Caller p, LocalDate from, LocalDate to) {
        if (p.isOperator()) return;
        LocalDate today = LocalDate.now(clock.withZone(zone));
        if (to.isBefore(today)) {
            throw AvailabilityRefusal.of(AvailabilityRefusal.Reason.RANGE_IN_THE_PAST,
                    "These dates are in the past; only an operator can correct past availability.");
        }
        if (to.isAfter(availability.lastDateAhead())) {
            throw AvailabilityRefusal.of(AvailabilityRefusal.Reason.RANGE_TOO_FAR_AHEAD, "Availability can be set at most a year ahead, until "
                    + AvailabilityService.HUMAN_DATE.format(availability.lastDateAhead()) + ".");
        }
    }

    private void requireStaffWithAvailability(Handle h, long staffId) {
        Staff s = staff.find(h, staffId).orElseThrow(() -> AvailabilityRefusal.of(AvailabilityRefusal.Reason.STAFF_NOT_FOUND,
                "Staff member " + staffId + " was not found."));
        if (!s.role().hasAvailability()) {
            throw AvailabilityRefusal.of(AvailabilityRefusal.Reason.NO_AVAILABILITY,
                    "Operators have no availability of their own; choose a therapist or driver.");
        }
    }

    /** The one place weekly-schedule changes are logged. */
    private void logChange(Handle h, Long actorId, WeeklySchedule saved) {
        changes.append(h, new NewChange(UPDATED, actorId, Audience.of(saved.staffId()), List.of(), Json.tree(saved.view()), null));
    }
}
