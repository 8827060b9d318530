package com.royalcare.scheduler.availability;

/**
 * An availability rule said no. The message is the explanation for the person; the handler turns
 * each {@link Reason} into its HTTP answer.
 */
public final class AvailabilityRefusal extends RuntimeException {

    public enum Reason {
        SLOT_NOT_FOUND,
        STAFF_NOT_FOUND,
        /** A therapist or driver asked about someone else's slots. */
        NOT_YOURS,
        /** Operators keep no availability. */
        NO_AVAILABILITY,
        /** An operator wrote a slot without saying whose. */
        STAFF_REQUIRED,
        STAFF_INACTIVE,
        /** A slot cannot move to another staff member. */
        OTHER_STAFF,
        /** The slot changed since the version the client has; see {@link #currentVersion()}. */
        VERSION_MISMATCH,
        /** The slot would overlap another of the same kind; see {@link #conflictingSlotId()}. */
        OVERLAP,
        /** A therapist or driver tried to change a slot that has already ended. */
        SLOT_ENDED,
        /** A therapist or driver wrote a slot that would end in the past. */
        IN_THE_PAST,
        /** A therapist or driver wrote a slot more than a year ahead. */
        TOO_FAR_AHEAD,
        /** The wall-clock times do not exist on that date (the clocks change that night). */
        NO_SUCH_TIME,
        /** A therapist or driver asked to fill (apply, copy) dates that are all in the past. */
        RANGE_IN_THE_PAST,
        /** A therapist or driver asked to fill (apply, copy) dates more than a year ahead. */
        RANGE_TOO_FAR_AHEAD,
        /** Appointments booked within availability would lose their cover; see {@link #appointmentIds()}. */
        SLOT_HAS_BOOKINGS,
        /** Only operators may force a change that affects appointments. */
        FORCE_NOT_ALLOWED
    }

    private final Reason reason;
    private final long currentVersion;
    private final long conflictingSlotId;
    private final java.util.List<Long> appointmentIds;

    private AvailabilityRefusal(Reason reason, String message, long currentVersion, long conflictingSlotId) {
        this(reason, message, currentVersion, conflictingSlotId, java.util.List.of());
    }

    private AvailabilityRefusal(Reason reason, String message, long currentVersion, long conflictingSlotId,
                                java.util.List<Long> appointmentIds) {
        super(message, null, false, false);
        this.appointmentIds = java.util.List.copyOf(appointmentIds);
        this.reason = reason;
        this.currentVersion = currentVersion;
        this.conflictingSlotId = conflictingSlotId;
    }

    static AvailabilityRefusal of(Reason reason, String message) {
        return new AvailabilityRefusal(reason, message, 0, 0);
    }

    static AvailabilityRefusal versionMismatch(long currentVersion, String message) {
        return new AvailabilityRefusal(Reason.VERSION_MISMATCH, message, currentVersion, 0);
    }

    static AvailabilityRefusal overlap(long conflictingSlotId, String message) {
        return new AvailabilityRefusal(Reason.OVERLAP, message, 0, conflictingSlotId);
    }

    static AvailabilityRefusal hasBookings(java.util.List<Long> appointmentIds, String message) {
        return new AvailabilityRefusal(Reason.SLOT_HAS_BOOKINGS, message, 0, 0, appointmentIds);
    }

    /** For {@link Reason#SLOT_HAS_BOOKINGS}. */
    public java.util.List<Long> appointmentIds() {
        return appointmentIds;
    }

    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#VERSION_MISMATCH}. */
    public long currentVersion() {
        return currentVersion;
    }

    /** For {@link Reason#OVERLAP}. */
    public long conflictingSlotId() {
        return conflictingSlotId;
    }
}
