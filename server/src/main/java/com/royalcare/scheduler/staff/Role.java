package com.royalcare.scheduler.staff;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

public enum Role {
    OPERATOR, THERAPIST, DRIVER;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What a client is told when a role it sent is not one of the three. */
    public static final String PROBLEM = "must be operator, therapist or driver";

    /** Parses the wire form; unknown values are a 400 at the call site. */
    public static Optional<Role> parse(String raw) {
        if (raw == null) return Optional.empty();
        return Arrays.stream(values()).filter(r -> r.wire().equals(raw)).findFirst();
    }

    /** Parses the wire form; an unknown value is an IllegalArgumentException. */
    @JsonCreator
    public static Role parseOrThrow(String raw) {
        return parse(raw).orElseThrow(() -> new IllegalArgumentException("unknown role " + raw));
    }

    /** Therapists and drivers keep availability; operators do not. */
    public boolean hasAvailability() {
        return this != OPERATOR;
    }
}
