package com.royalcare.scheduler.booking;

import java.util.Map;

/**
 * A booking rule said no. The message is the explanation for the person; {@link BookingHandler} turns each
 * {@link Reason} into its HTTP answer (status and code), adding the field problems and details carried here.
 */
public final class BookingRefusal extends RuntimeException {

    public enum Reason {
        /** The service, client or appointment does not exist (or is not visible to the caller). */
        NOT_FOUND,
        /** The caller may not do this. */
        FORBIDDEN,
        /** A field of the request is wrong; see {@link #fields()}. */
        INVALID_FIELD,
        /** The end equals the start. */
        INVALID_RANGE,
        /** Another service has this name. */
        DUPLICATE,
        /** Another client has this phone number. */
        DUPLICATE_CLIENT,
        /** An assignee's account is disabled. */
        STAFF_INACTIVE,
        /** An assignee has another visit within the travel buffer. */
        STAFF_BOOKED,
        /** An assignee's availability does not cover the visit (an operator may force it). */
        NOT_AVAILABLE,
        /** The appointment's status does not allow this action. */
        INVALID_TRANSITION,
        /** The appointment changed since the version the client has. */
        VERSION_MISMATCH
    }

    private final Reason reason;
    private final Map<String, String> fields;
    private final Map<String, Object> details;

    BookingRefusal(Reason reason, String message) {
        this(reason, message, Map.of(), Map.of());
    }

    BookingRefusal(Reason reason, String message, Map<String, String> fields, Map<String, Object> details) {
        super(message, null, false, false);
        this.reason = reason;
        this.fields = Map.copyOf(fields);
        this.details = Map.copyOf(details);
    }

    static BookingRefusal notFound(String what) {
        return new BookingRefusal(Reason.NOT_FOUND, what + " was not found.");
    }

    static BookingRefusal forbidden(String message) {
        return new BookingRefusal(Reason.FORBIDDEN, message);
    }

    static BookingRefusal invalidField(String field, String problem) {
        return new BookingRefusal(Reason.INVALID_FIELD, "Please correct the highlighted field: " + field + " " + problem + ".",
                Map.of(field, problem), Map.of());
    }

    static void requireOperator(com.royalcare.scheduler.web.Caller p) {
        if (!p.isOperator()) throw forbidden("Only operators can do this.");
    }

    public Reason reason() {
        return reason;
    }

    /** Field name to problem, for the form to highlight. */
    public Map<String, String> fields() {
        return fields;
    }

    /** Extra facts for the client (ids of the clashing appointment, the current version...). */
    public Map<String, Object> details() {
        return details;
    }
}
