package com.royalcare.scheduler.availability;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * When a slot is, in business-local terms: a date and a start and end time. An end before the
 * start means the slot runs past midnight; it still belongs to {@code date}. Pure rules, no I/O.
 */
public record SlotTimes(LocalDate date, LocalTime start, LocalTime end) {

    public SlotTimes {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (start.equals(end)) throw new EmptySlot();
    }

    /** A slot whose end equals its start: empty, since an earlier end means "past midnight". */
    public static final class EmptySlot extends IllegalArgumentException {
        EmptySlot() {
            super("The end time must differ from the start time (an end before the start means the slot runs past midnight).");
        }
    }

    public boolean overnight() {
        return end.isBefore(start);
    }

    /** The real-time interval [start, end) in the business zone; the zone's own rules handle DST days. */
    public Interval in(ZoneId zone) {
        LocalDate endDate = overnight() ? date.plusDays(1) : date;
        return new Interval(ZonedDateTime.of(date, start, zone).toInstant(), ZonedDateTime.of(endDate, end, zone).toInstant());
    }

    /**
     * Like {@link #in}, but empty when the wall-clock times do not make a real interval on this
     * date: on a spring-forward day 02:30–03:00 does not exist (02:30 resolves past the gap to 03:30).
     */
    public java.util.Optional<Interval> realInterval(ZoneId zone) {
        LocalDate endDate = overnight() ? date.plusDays(1) : date;
        Instant s = ZonedDateTime.of(date, start, zone).toInstant();
        Instant e = ZonedDateTime.of(endDate, end, zone).toInstant();
        return s.isBefore(e) ? java.util.Optional.of(new Interval(s, e)) : java.util.Optional.empty();
    }

    /** A half-open interval of real time. */
    public record Interval(Instant start, Instant end) {
        public Interval {
            if (!start.isBefore(end)) throw new IllegalArgumentException("empty interval " + start + " .. " + end);
        }

        /** Half-open: [13:00, 14:00) and [14:00, 15:00) do not overlap. */
        public boolean overlaps(Interval other) {
            return start.isBefore(other.end) && other.start.isBefore(end);
        }
    }
}
