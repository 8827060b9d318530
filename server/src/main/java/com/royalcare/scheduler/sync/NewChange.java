package com.royalcare.scheduler.sync;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.Objects;

/** A change a feature records inside its transaction; the log gives it its seq and time. */
public record NewChange(String type, Long actorId, Long staffId, LocalDate date, JsonNode data) {
    public NewChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }
}
