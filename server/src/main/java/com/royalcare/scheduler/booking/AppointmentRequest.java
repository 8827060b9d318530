package com.royalcare.scheduler.booking;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator books: {@code end} null means start plus the services' lengths; {@code address} null means
 * the client's; {@code force} books outside availability (never past another visit).
 */
public record AppointmentRequest(long clientId, List<Long> serviceIds, List<Long> therapistIds, Long driverId,
                                 LocalDate date, LocalTime start, LocalTime end, String address, String notes, boolean force) {

    public AppointmentRequest {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(start, "start");
        serviceIds = List.copyOf(serviceIds);
        therapistIds = List.copyOf(therapistIds);
        if (serviceIds.isEmpty()) throw new IllegalArgumentException("at least one service");
        if (therapistIds.isEmpty()) throw new IllegalArgumentException("at least one therapist");
        if (new HashSet<>(therapistIds).size() != therapistIds.size()) throw new IllegalArgumentException("a therapist listed twice");
        if (driverId != null && therapistIds.contains(driverId)) throw new IllegalArgumentException("the driver is also a therapist");
    }

    /**
     * A PATCH: null fields keep their value; for {@code driverId}, {@code address} and {@code notes} an empty
     * Optional clears. A changed start or services without an {@code end} recompute the end.
     */
    public record Edit(LocalDate date, LocalTime start, LocalTime end, List<Long> serviceIds, List<Long> therapistIds,
                       Optional<Long> driverId, Optional<String> address, Optional<String> notes, boolean force) {
    }
}
