package com.royalcare.scheduler.availability;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestClocks;
import com.royalcare.scheduler.support.TestServer;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The business zone drives real-time overlap; New York has the DST days Manila lacks. */
class DaylightSavingApiTest {

    @Test
    void overnight_slot_on_the_fall_back_night_blocks_until_its_wall_clock_end() {
        try (TestServer server = TestServer.start(Map.of("BUSINESS_TIME_ZONE", "America/New_York"),
                TestClocks.startingAt(LocalDate.of(2026, 3, 1)))) {
            ApiClient t = server.newStaff("nightowl", "therapist");
            // 2026-11-01 01:00-02:00 happens twice in New York; the slot below ends at the second 05:00.
            assertThat(t.post("/api/availability", Map.of("date", "2026-10-31", "start", "22:00", "end", "05:00")).status()).isEqualTo(201);
            assertThat(t.post("/api/availability", Map.of("date", "2026-11-01", "start", "04:30", "end", "06:00")).status()).isEqualTo(409);
            assertThat(t.post("/api/availability", Map.of("date", "2026-11-01", "start", "05:00", "end", "06:00")).status()).isEqualTo(201);
            // Slots are expanded day by day in the zone: the spring-forward night is covered the same way.
            assertThat(t.post("/api/availability", Map.of("date", "2026-03-07", "start", "23:00", "end", "03:30")).status()).isEqualTo(201);
            assertThat(t.post("/api/availability", Map.of("date", "2026-03-08", "start", "03:00", "end", "04:00")).status()).isEqualTo(409);
            assertThat(t.post("/api/availability", Map.of("date", "2026-03-08", "start", "03:30", "end", "04:00")).status()).isEqualTo(201);
        }
    }
}
