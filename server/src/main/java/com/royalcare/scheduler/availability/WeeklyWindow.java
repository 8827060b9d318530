package com.royalcare.scheduler.availability;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.time.LocalTime;
import java.util.Objects;

/**
 * One window of a usual week: a local start and end time. An end before the start runs past
 * midnight into the next weekday (Sunday's into Monday's). Pure value, no I/O.
 */
public record WeeklyWindow(@JsonFormat(pattern = "HH:mm") LocalTime start, @JsonFormat(pattern = "HH:mm") LocalTime end) {

    public WeeklyWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (start.equals(end)) throw new IllegalArgumentException("start and end are equal");
    }

    public boolean overnight() {
        return end.isBefore(start);
    }

    @Override
    public String toString() {
        return start + "–" + end;
    }
}
