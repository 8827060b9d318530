package com.royalcare.scheduler.sync;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A change a feature records inside its transaction; the log gives it its seq and time.
 *
 * @param type       the event name pages subscribe to, e.g. {@code appointment_updated}
 * @param actorId    who made it (null for the system)
 * @param audience   who may see it besides operators
 * @param dates      the business dates it concerns, the main one first (e.g. a moved slot: new date, then old)
 * @param data       the payload, sent as is
 * @param endStreams accounts whose open streams end when this change is published, on every node, before it
 *                   reaches anyone (an account disabled or its password reset); empty for most changes
 */
public record NewChange(String type, Long actorId, Audience audience, List<LocalDate> dates, JsonNode data,
                        StreamEnd endStreams) {

    public NewChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(data, "data");
        dates = dates == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(dates));
        endStreams = endStreams == null ? StreamEnd.NONE : endStreams;
    }

    /** The usual case: a change to one staff member's data on one date (or none). */
    public static NewChange about(String type, Long actorId, long staffId, LocalDate date, JsonNode data) {
        return new NewChange(type, actorId, Audience.of(staffId), date == null ? List.of() : List.of(date), data, null);
    }

    public NewChange endingStreamsOf(Set<Long> accounts, StreamEnd.Reason reason) {
        return new NewChange(type, actorId, audience, dates, data, new StreamEnd(accounts, reason));
    }
}
