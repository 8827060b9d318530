package com.royalcare.scheduler.sync;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One committed mutation, as stored in the change log and sent to subscribers.
 *
 * @param seq     position in the log: strictly increasing, gap-free, in commit order
 * @param type    e.g. {@code availability_updated}
 * @param at      commit time
 * @param actorId who made the change (null for the system)
 * @param staffId whose data changed (null for global changes); drives authorisation and filters
 * @param date    the business date affected, if any; drives date filters
 * @param data    the entity after the change
 */
public record Change(long seq, String type, Instant at, Long actorId, Long staffId, LocalDate date, JsonNode data) {
    public Change {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(data, "data");
    }
}
