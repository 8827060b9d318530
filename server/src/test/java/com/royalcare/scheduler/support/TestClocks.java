package com.royalcare.scheduler.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Running clocks set to another day, for tests whose fixed dates must be "near today" for the
 * date rules (a therapist cannot set the past or more than a year ahead).
 */
public final class TestClocks {

    private TestClocks() {
    }

    /** A clock that ticks like the system's but reads {@code date} 00:00 UTC at the moment it is made. */
    public static Clock startingAt(LocalDate date) {
        Instant target = date.atStartOfDay(ZoneOffset.UTC).toInstant();
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), target));
    }
}
