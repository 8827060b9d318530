package com.royalcare.scheduler.activity;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/activity: the change log for operators, newest first, naming who did it, paged by seq. */
class ActivityApiTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    /** Therapists and drivers may write at most a year ahead: a date in a few days is always writable. */
    private static final java.time.LocalDate SOON = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Manila")).plusDays(10);

    @Test
    void newest_first_with_the_actor_and_the_person_concerned_named() {
        ApiClient anna = server.newStaff("annaact", "therapist");
        long annaId = anna.me();
        long slot = anna.post("/api/availability", Map.of("date", SOON.toString(), "start", "13:00", "end", "17:00", "available", true)).id();
        server.operator().patch("/api/staff/" + annaId, Map.of("phone", "+63 900"), null);

        JsonNode page = server.operator().get("/api/activity?limit=2").json();
        JsonNode items = page.get("items");
        assertThat(items).hasSize(2);
        JsonNode newest = items.get(0), before = items.get(1);
        assertThat(newest.get("seq").asLong()).isGreaterThan(before.get("seq").asLong());
        assertThat(page.get("head").asLong()).isEqualTo(newest.get("seq").asLong());
        assertThat(newest.get("type").asText()).isEqualTo("staff_updated");
        assertThat(newest.get("actorName").asText()).isEqualTo("Operator");
        assertThat(newest.get("staffName").asText()).isEqualTo("Test annaact");
        assertThat(before.get("type").asText()).isEqualTo("availability_created");
        assertThat(before.get("actorName").asText()).isEqualTo("Test annaact");
        assertThat(before.get("data").get("id").asLong()).isEqualTo(slot);
        assertThat(before.get("date").asText()).isEqualTo(SOON.toString());
    }

    @Test
    void pages_by_before_cover_the_log_once_each() {
        ApiClient bea = server.newStaff("beaact", "driver");
        for (int i = 0; i < 5; i++) {
            bea.post("/api/availability", Map.of("date", SOON.plusDays(i + 1).toString(), "start", "09:00", "end", "10:00", "available", true));
        }
        JsonNode first = server.operator().get("/api/activity?limit=3").json();
        List<Long> seqs = new ArrayList<>();
        first.get("items").forEach(e -> seqs.add(e.get("seq").asLong()));
        long next = first.get("next").asLong();
        JsonNode second = server.operator().get("/api/activity?limit=3&before=" + next).json();
        second.get("items").forEach(e -> seqs.add(e.get("seq").asLong()));
        assertThat(seqs).hasSize(6).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(seqs.get(3)).isEqualTo(next - 1);
    }

    @Test
    void only_operators_and_bad_paging_is_a_400() {
        ApiClient therapist = server.newStaff("peekact", "therapist");
        assertThat(therapist.get("/api/activity").status()).isEqualTo(403);
        assertThat(server.anonymous().get("/api/activity").status()).isEqualTo(401);
        assertThat(server.operator().get("/api/activity?limit=0").status()).isEqualTo(400);
        assertThat(server.operator().get("/api/activity?limit=201").status()).isEqualTo(400);
        assertThat(server.operator().get("/api/activity?before=abc").status()).isEqualTo(400);
    }
}
