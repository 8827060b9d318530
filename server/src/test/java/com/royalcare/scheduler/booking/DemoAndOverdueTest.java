package com.royalcare.scheduler.booking;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

class DemoAndOverdueTest {

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2027-05-03T01:00:00Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }
    }

    @Test
    void a_pending_visit_unanswered_for_the_response_window_is_flagged_overdue_and_nothing_else_happens() {
        MovableClock clock = new MovableClock();
        try (TestServer server = TestServer.start(Map.of("BOOKING_RESPONSE_MINUTES", "30"), clock)) {
            ApiClient op = server.operator();
            ApiClient t = server.newStaff("od-anna", "therapist");
            long id = BookingFixture.book(op, BookingFixture.client(op), BookingFixture.service(op, 60, "800"), List.of(t.me()), null,
                    "2027-05-04", "10:00", Map.of("force", true)).id();
            clock.advance(Duration.ofMinutes(29));
            assertThat(op.get("/api/appointments/" + id).json().get("overdue").asBoolean()).isFalse();
            clock.advance(Duration.ofMinutes(1));
            JsonNode a = op.get("/api/appointments/" + id).json();
            assertThat(a.get("overdue").asBoolean()).isTrue();
            assertThat(a.get("status").asText()).isEqualTo("pending");
            assertThat(op.get("/api/appointments?date=2027-05-04").json().at("/items/0/overdue").asBoolean()).isTrue();
            assertThat(t.post("/api/appointments/" + id + "/accept", Map.of()).json().get("overdue").asBoolean()).isFalse();
        }
    }

    @Test
    void demo_data_seeds_the_menu_clients_and_visits_in_several_states() {
        try (TestServer server = TestServer.start(Map.of("DEMO_DATA", "true"))) {
            ApiClient op = server.operator();
            assertThat(op.get("/api/services").json().get("items")).extracting(j -> j.get("name").asText())
                    .contains("Swedish massage", "Shiatsu", "Foot reflexology");
            assertThat(op.get("/api/clients").json().get("items").size()).isGreaterThanOrEqualTo(3);
            JsonNode items = op.get("/api/appointments").json().get("items");
            Set<String> statuses = StreamSupport.stream(items.spliterator(), false).map(j -> j.get("status").asText()).collect(Collectors.toSet());
            assertThat(items.size()).isGreaterThanOrEqualTo(4);
            assertThat(statuses).contains("pending", "confirmed");
            assertThat(statuses.size()).isGreaterThanOrEqualTo(3);
        }
    }
}
