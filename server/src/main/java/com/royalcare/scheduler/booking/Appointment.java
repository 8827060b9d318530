package com.royalcare.scheduler.booking;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.royalcare.scheduler.availability.SlotTimes;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A home visit as the API shows it. {@code date} is the start date in the business zone; an {@code end}
 * before {@code start} runs past midnight (as slots do). {@code overdue} is computed when it is read.
 */
public record Appointment(long id, ClientRef client, String address, String notes, List<Line> services,
                          List<Assignee> therapists, Assignee driver, LocalDate date,
                          @JsonFormat(pattern = "HH:mm") LocalTime start,
                          @JsonFormat(pattern = "HH:mm") LocalTime end,
                          Status status, boolean overdue, Money total, boolean forced, Payment payment, long version,
                          List<HistoryEntry> history, Instant createdAt, Instant updatedAt) {

    public Appointment {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(status, "status");
        services = List.copyOf(services);
        therapists = List.copyOf(therapists);
        history = List.copyOf(history);
        Objects.requireNonNull(date, "date");
        new SlotTimes(date, start, end); // start != end
    }

    public enum Status {
        PENDING, CONFIRMED, REJECTED, IN_PROGRESS, COMPLETED, CANCELLED;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Status> parse(String raw) {
            return Arrays.stream(values()).filter(s -> s.wire().equals(raw)).findFirst();
        }

        /** Pending, confirmed and in-progress visits hold their assignees' time (travel buffer included). */
        public boolean holdsTime() {
            return this == PENDING || this == CONFIRMED || this == IN_PROGRESS;
        }

        /** The operator may still change time, services or assignees. */
        boolean editable() {
            return this == PENDING || this == CONFIRMED || this == REJECTED;
        }
    }

    public enum Response {
        PENDING, ACCEPTED, REJECTED;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum PaymentMethod {
        CASH, GCASH, BANK_TRANSFER;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<PaymentMethod> parse(String raw) {
            return Arrays.stream(values()).filter(s -> s.wire().equals(raw)).findFirst();
        }
    }

    public record ClientRef(long id, String name, String phone) {
    }

    /** A service as booked (name, length and price copied, so later menu changes do not rewrite the past). */
    public record Line(long id, String name, int durationMinutes, Money price) {
    }

    public record Assignee(long id, String name, Response response, @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {
        public Assignee {
            Objects.requireNonNull(response, "response");
        }

        Assignee answered(Response r, String why) {
            return new Assignee(id, name, r, why);
        }
    }

    public record Payment(PaymentMethod method, Money amountPaid) {
    }

    public record HistoryEntry(Status status, Long byId, Instant at, @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {
    }

    public SlotTimes times() {
        return new SlotTimes(date, start, end);
    }

    /** Therapists, then the driver. */
    @JsonIgnore
    public List<Assignee> assignees() {
        return Stream.concat(therapists.stream(), Stream.ofNullable(driver)).toList();
    }

    @JsonIgnore
    public Set<Long> assigneeIds() {
        Set<Long> ids = new LinkedHashSet<>();
        assignees().forEach(a -> ids.add(a.id()));
        return ids;
    }

    /** When the current wait for answers began: the last time it became pending. */
    @JsonIgnore
    Instant pendingSince() {
        Instant since = createdAt;
        for (HistoryEntry e : history) if (e.status() == Status.PENDING) since = e.at();
        return since;
    }

    Appointment withOverdue(boolean value) {
        return new Appointment(id, client, address, notes, services, therapists, driver, date, start, end, status, value,
                total, forced, payment, version, history, createdAt, updatedAt);
    }
}
