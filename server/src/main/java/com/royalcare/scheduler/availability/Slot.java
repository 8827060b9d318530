package com.royalcare.scheduler.availability;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;

/** An availability slot as stored and shown. {@code version} starts at 1 and grows by one on every change. */
public record Slot(long id, long staffId, LocalDate date,
                   @JsonFormat(pattern = "HH:mm") LocalTime start,
                   @JsonFormat(pattern = "HH:mm") LocalTime end,
                   boolean available, String note, long version,
                   Instant createdAt, Instant updatedAt, Long updatedBy) {

    public SlotTimes times() {
        return new SlotTimes(date, start, end);
    }
}
