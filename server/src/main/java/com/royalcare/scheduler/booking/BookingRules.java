package com.royalcare.scheduler.booking;

import com.royalcare.scheduler.availability.Coverage;
import com.royalcare.scheduler.availability.Slot;
import com.royalcare.scheduler.availability.SlotTimes;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The booking rules, pure (no I/O, no clock of their own): coverage, the travel buffer, answers, overdue. */
final class BookingRules {

    private BookingRules() {
    }

    /** Another visit holding a person's time over {@code interval}. */
    record Busy(long appointmentId, SlotTimes.Interval interval) {
    }

    /** A visit's default end: its start plus the services' lengths (past midnight wraps, as slots do). */
    static LocalTime defaultEnd(LocalTime start, Collection<Integer> durationsMinutes) {
        int total = durationsMinutes.stream().mapToInt(Integer::intValue).sum();
        if (total <= 0 || total >= 24 * 60) throw new IllegalArgumentException("a visit lasts more than 0 and less than 24 hours");
        return start.plusMinutes(total);
    }

    /**
     * True when the person's available slots cover the whole visit and no unavailable block lies inside it.
     * {@code slots} are theirs around the date (the day before included: an overnight slot reaches into it).
     */
    static boolean covered(SlotTimes.Interval visit, List<Slot> slots, ZoneId zone) {
        List<SlotTimes.Interval> free = slots.stream().filter(Slot::available).map(s -> s.times().in(zone)).toList();
        List<SlotTimes.Interval> blocked = slots.stream().filter(s -> !s.available()).map(s -> s.times().in(zone)).toList();
        return Coverage.isFree(visit, free, blocked);
    }

    /**
     * The first other visit closer than {@code buffer} to {@code visit}, either way round: end of one to start
     * of the next must be at least the buffer. Exactly the buffer apart is fine.
     */
    static Optional<Busy> clash(SlotTimes.Interval visit, List<Busy> others, Duration buffer) {
        Instant from = visit.start().minus(buffer);
        Instant to = visit.end().plus(buffer);
        return others.stream()
                .filter(o -> o.interval().start().isBefore(to) && o.interval().end().isAfter(from))
                .min(java.util.Comparator.comparing((Busy o) -> o.interval().start()).thenComparingLong(Busy::appointmentId));
    }

    /** The status once every assignee's answer is known: any rejection rejects, all accepted confirms, else pending. */
    static Appointment.Status fromAnswers(List<Appointment.Response> answers) {
        if (answers.contains(Appointment.Response.REJECTED)) return Appointment.Status.REJECTED;
        if (!answers.isEmpty() && answers.stream().allMatch(a -> a == Appointment.Response.ACCEPTED)) return Appointment.Status.CONFIRMED;
        return Appointment.Status.PENDING;
    }

    /** A pending visit not fully answered within {@code window} of becoming pending. Nothing happens to it; it is flagged. */
    static boolean overdue(Appointment.Status status, Instant pendingSince, Instant now, Duration window) {
        return status == Appointment.Status.PENDING && !now.isBefore(pendingSince.plus(window));
    }
}
