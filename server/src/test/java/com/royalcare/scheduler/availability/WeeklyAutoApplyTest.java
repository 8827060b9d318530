package com.royalcare.scheduler.availability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class WeeklyAutoApplyTest {

    @Test
    void the_next_run_is_just_after_the_business_local_midnight() {
        // 2026-12-02 22:00 in Manila (UTC+8) is 14:00 UTC; midnight is two hours away.
        assertThat(WeeklyAutoApply.untilNextRun(Instant.parse("2026-12-02T14:00:00Z"), ZoneId.of("Asia/Manila")))
                .isEqualTo(Duration.ofHours(2).plus(WeeklyAutoApply.AFTER_MIDNIGHT));
    }

    @Test
    void on_a_daylight_saving_day_the_wait_follows_the_zones_own_midnight() {
        // Berlin, Saturday 2026-03-28 12:00 CET: the next midnight is 12 hours away (the short night comes after it).
        assertThat(WeeklyAutoApply.untilNextRun(Instant.parse("2026-03-28T11:00:00Z"), ZoneId.of("Europe/Berlin")))
                .isEqualTo(Duration.ofHours(12).plus(WeeklyAutoApply.AFTER_MIDNIGHT));
        // Sunday 2026-03-29 12:00 CEST (10:00 UTC) to Monday 00:00 CEST: 12 hours, though the day had 23.
        assertThat(WeeklyAutoApply.untilNextRun(Instant.parse("2026-03-29T10:00:00Z"), ZoneId.of("Europe/Berlin")))
                .isEqualTo(Duration.ofHours(12).plus(WeeklyAutoApply.AFTER_MIDNIGHT));
    }
}
