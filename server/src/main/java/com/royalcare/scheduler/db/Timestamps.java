package com.royalcare.scheduler.db;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Instants are stored as fixed-width UTC text (millisecond precision) on both databases, so that
 * comparing the text compares the times ({@code Instant.toString()} varies its width).
 */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** The clock's current instant at the stored precision. */
    public static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The system time at the stored precision.
     *
     * @deprecated only {@code sync.ChangeLog} still calls this; once it takes a {@link Clock}, delete this method.
     */
    @Deprecated
    public static Instant now() {
        return now(Clock.systemUTC());
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
