package com.royalcare.scheduler.sync;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One committed change, as stored in the change log and sent to subscribers.
 *
 * <p>On the wire (docs/SYNC.md): {@code seq, type, at, actorId, staffId, date, data}, where {@code staffId}
 * is the one staff member it concerns (null for none or several) and {@code date} its main date; a change
 * for several people adds {@code staffIds}, one for several dates adds {@code dates}. Who may see it and
 * whose streams it ends are not sent.
 *
 * @param seq        position in the log: strictly increasing, gap-free, in commit order
 * @param at         commit time
 * @param audience   who may see it besides operators; drives authorisation, staff filters and fan-out
 * @param dates      business dates it concerns, main one first; drives date filters
 * @param endStreams accounts whose streams end when it is published
 */
@JsonPropertyOrder({"seq", "type", "at", "actorId", "staffId", "date", "staffIds", "dates", "data"})
public record Change(long seq, String type, Instant at, Long actorId, @JsonIgnore Audience audience,
                     @JsonIgnore List<LocalDate> dates, JsonNode data, @JsonIgnore StreamEnd endStreams) {

    public Change {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(data, "data");
        dates = dates == null ? List.of() : List.copyOf(dates);
        endStreams = endStreams == null ? StreamEnd.NONE : endStreams;
    }

    /** The one staff member this change is about, or null. */
    @JsonProperty("staffId")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public Long staffId() {
        return audience.single();
    }

    /** The main business date, or null. */
    @JsonProperty("date")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public LocalDate date() {
        return dates.isEmpty() ? null : dates.get(0);
    }

    /** Everyone it concerns, when that is more than one staff member (absent otherwise). */
    @JsonProperty("staffIds")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Set<Long> staffIdsIfSeveral() {
        return audience.staffIds().size() > 1 ? audience.staffIds() : null;
    }

    /** Every date it concerns, when that is more than one (absent otherwise). */
    @JsonProperty("dates")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    List<LocalDate> datesIfSeveral() {
        return dates.size() > 1 ? dates : null;
    }
}
