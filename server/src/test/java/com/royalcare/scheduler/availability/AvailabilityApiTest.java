package com.royalcare.scheduler.availability;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestClocks;
import com.royalcare.scheduler.support.SharedServer;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class AvailabilityApiTest {

    private static final AtomicInteger USERS = new AtomicInteger();
    @RegisterExtension
    static final SharedServer server = new SharedServer(Map.of(), TestClocks.startingAt(LocalDate.of(2026, 11, 1)));


    private static ApiClient therapist() {
        return server.newStaff("ther" + USERS.incrementAndGet(), "therapist");
    }

    static Map<String, Object> slot(String date, String start, String end) {
        Map<String, Object> body = new HashMap<>();
        body.put("date", date);
        body.put("start", start);
        body.put("end", end);
        return body;
    }

    @Test
    void a_therapist_adds_reads_edits_and_deletes_their_own_slot() {
        ApiClient t = therapist();
        Map<String, Object> body = slot("2026-12-01", "13:00", "17:00");
        body.put("note", "Makati only");
        ApiClient.Response created = t.post("/api/availability", body);
        assertThat(created.status()).isEqualTo(201);
        long id = created.id();
        assertThat(created.header("Location")).isEqualTo("/api/availability/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        JsonNode s = created.json();
        assertThat(s.get("staffId").asLong()).isEqualTo(t.me());
        assertThat(s.get("date").asText()).isEqualTo("2026-12-01");
        assertThat(s.get("start").asText()).isEqualTo("13:00");
        assertThat(s.get("end").asText()).isEqualTo("17:00");
        assertThat(s.get("available").asBoolean()).isTrue();
        assertThat(s.get("note").asText()).isEqualTo("Makati only");
        assertThat(s.get("version").asLong()).isEqualTo(1);
        assertThat(s.get("updatedBy").asLong()).isEqualTo(t.me());
        assertThat(s.hasNonNull("createdAt")).isTrue();

        ApiClient.Response read = t.get("/api/availability/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo("\"1\"");

        ApiClient.Response toggled = t.patch("/api/availability/" + id, Map.of("available", false), "\"1\"");
        assertThat(toggled.status()).isEqualTo(200);
        assertThat(toggled.json().get("available").asBoolean()).isFalse();
        assertThat(toggled.json().get("version").asLong()).isEqualTo(2);
        assertThat(toggled.json().get("start").asText()).isEqualTo("13:00");
        assertThat(toggled.header("ETag")).isEqualTo("\"2\"");

        ApiClient.Response replaced = t.put("/api/availability/" + id, slot("2026-12-01", "14:00", "18:00"), "\"2\"");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("available").asBoolean()).isTrue(); // PUT is a full replacement: default true
        assertThat(replaced.json().get("note").isNull()).isTrue();
        assertThat(replaced.json().get("version").asLong()).isEqualTo(3);

        assertThat(t.delete("/api/availability/" + id, "\"3\"").status()).isEqualTo(204);
        assertThat(t.get("/api/availability/" + id).status()).isEqualTo(404);
    }

    @Test
    void stale_if_match_is_412_and_changes_nothing() {
        ApiClient t = therapist();
        long id = t.post("/api/availability", slot("2026-12-02", "09:00", "10:00")).id();
        t.patch("/api/availability/" + id, Map.of("note", "first"), "\"1\"");
        ApiClient.Response stale = t.patch("/api/availability/" + id, Map.of("note", "second"), "\"1\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.errorCode()).isEqualTo("VERSION_MISMATCH");
        assertThat(t.put("/api/availability/" + id, slot("2026-12-02", "09:00", "11:00"), "\"1\"").status()).isEqualTo(412);
        assertThat(t.delete("/api/availability/" + id, "\"1\"").status()).isEqualTo(412);
        JsonNode now = t.get("/api/availability/" + id).json();
        assertThat(now.get("note").asText()).isEqualTo("first");
        assertThat(now.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void overlapping_slots_are_409_naming_the_other_slot() {
        ApiClient t = therapist();
        long first = t.post("/api/availability", slot("2026-12-03", "13:00", "15:00")).id();
        ApiClient.Response clash = t.post("/api/availability", slot("2026-12-03", "14:00", "16:00"));
        assertThat(clash.status()).isEqualTo(409);
        assertThat(clash.errorCode()).isEqualTo("OVERLAP");
        assertThat(clash.json().get("error").get("conflictingSlotId").asLong()).isEqualTo(first);
        assertThat(clash.json().get("error").get("message").asText()).contains("13:00").contains("15:00");
    }

    @Test
    void back_to_back_slots_are_fine() {
        ApiClient t = therapist();
        assertThat(t.post("/api/availability", slot("2026-12-04", "13:00", "14:00")).status()).isEqualTo(201);
        assertThat(t.post("/api/availability", slot("2026-12-04", "14:00", "15:00")).status()).isEqualTo(201);
        assertThat(t.post("/api/availability", slot("2026-12-04", "12:00", "13:00")).status()).isEqualTo(201);
    }

    @Test
    void an_overnight_slot_clashes_with_the_next_mornings_slot() {
        ApiClient t = therapist();
        long late = t.post("/api/availability", slot("2026-12-05", "22:00", "02:00")).id();
        ApiClient.Response early = t.post("/api/availability", slot("2026-12-06", "01:00", "03:00"));
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().get("error").get("conflictingSlotId").asLong()).isEqualTo(late);
        assertThat(t.post("/api/availability", slot("2026-12-06", "02:00", "03:00")).status()).isEqualTo(201);
        // and the other way round: a morning slot exists, an overnight slot the evening before reaches it
        ApiClient u = therapist();
        u.post("/api/availability", slot("2026-12-08", "00:30", "04:00"));
        assertThat(u.post("/api/availability", slot("2026-12-07", "20:00", "01:00")).status()).isEqualTo(409);
    }

    @Test
    void an_unavailable_block_may_overlap_an_available_slot() {
        ApiClient t = therapist();
        t.post("/api/availability", slot("2026-12-09", "09:00", "17:00"));
        Map<String, Object> lunch = slot("2026-12-09", "12:00", "13:00");
        lunch.put("available", false);
        assertThat(t.post("/api/availability", lunch).status()).isEqualTo(201);
        assertThat(t.post("/api/availability", lunch).status()).isEqualTo(409);
    }

    @Test
    void an_edit_that_would_overlap_is_refused_and_changes_nothing() {
        ApiClient t = therapist();
        t.post("/api/availability", slot("2026-12-10", "09:00", "10:00"));
        long second = t.post("/api/availability", slot("2026-12-10", "11:00", "12:00")).id();
        ApiClient.Response r = t.patch("/api/availability/" + second, Map.of("start", "09:30"), null);
        assertThat(r.status()).isEqualTo(409);
        assertThat(t.get("/api/availability/" + second).json().get("start").asText()).isEqualTo("11:00");
        // moving a slot onto its own old time is not an overlap with itself
        assertThat(t.patch("/api/availability/" + second, Map.of("end", "12:30"), null).status()).isEqualTo(200);
    }

    @Test
    void equal_start_and_end_is_invalid_range() {
        ApiClient.Response r = therapist().post("/api/availability", slot("2026-12-11", "10:00", "10:00"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("INVALID_RANGE");
    }

    @Test
    void therapists_touch_only_their_own_slots() {
        ApiClient a = therapist();
        ApiClient b = therapist();
        long bId = b.me();
        long bSlot = b.post("/api/availability", slot("2026-12-12", "09:00", "10:00")).id();
        Map<String, Object> forB = slot("2026-12-12", "11:00", "12:00");
        forB.put("staffId", bId);
        ApiClient.Response r = a.post("/api/availability", forB);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errorCode()).isEqualTo("FORBIDDEN");
        // another person's slot answers exactly like a missing one: the id tells nothing
        assertThat(a.get("/api/availability/" + bSlot).status()).isEqualTo(404);
        assertThat(a.get("/api/availability/" + bSlot).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(a.patch("/api/availability/" + bSlot, Map.of("available", false), null).status()).isEqualTo(404);
        assertThat(a.delete("/api/availability/" + bSlot, null).status()).isEqualTo(404);
        assertThat(a.get("/api/availability?staffId=" + bId).status()).isEqualTo(403);
        // an unfiltered list shows only their own
        a.post("/api/availability", slot("2026-12-12", "09:00", "10:00"));
        a.get("/api/availability").json().get("items").forEach(s -> assertThat(s.get("staffId").asLong()).isEqualTo(a.me()));
        assertThat(b.get("/api/availability/" + bSlot).json().get("available").asBoolean()).isTrue();
    }

    @Test
    void operators_manage_everyones_slots_but_have_none_of_their_own() {
        ApiClient t = therapist();
        Map<String, Object> body = slot("2026-12-13", "09:00", "10:00");
        body.put("staffId", t.me());
        ApiClient.Response created = server.operator().post("/api/availability", body);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("updatedBy").asLong()).isEqualTo(server.operator().me());
        assertThat(server.operator().patch("/api/availability/" + created.id(), Map.of("available", false), null).status()).isEqualTo(200);

        ApiClient.Response noStaff = server.operator().post("/api/availability", slot("2026-12-13", "11:00", "12:00"));
        assertThat(noStaff.status()).isEqualTo(400);
        Map<String, Object> own = slot("2026-12-13", "11:00", "12:00");
        own.put("staffId", server.operator().me());
        assertThat(server.operator().post("/api/availability", own).status()).isEqualTo(400);
        Map<String, Object> ghost = slot("2026-12-13", "11:00", "12:00");
        ghost.put("staffId", 987654);
        assertThat(server.operator().post("/api/availability", ghost).status()).isEqualTo(404);
    }

    @Test
    void a_disabled_staff_member_gets_no_slot_changes() {
        ApiClient t = therapist();
        long id = t.me();
        long slotId = t.post("/api/availability", slot("2026-12-14", "09:00", "10:00")).id();
        server.operator().patch("/api/staff/" + id, Map.of("active", false), null);
        Map<String, Object> body = slot("2026-12-14", "11:00", "12:00");
        body.put("staffId", id);
        ApiClient.Response r = server.operator().post("/api/availability", body);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo("STAFF_INACTIVE");
        assertThat(r.json().get("error").get("message").asText()).contains("disabled");
        assertThat(server.operator().patch("/api/availability/" + slotId, Map.of("available", false), null).errorCode()).isEqualTo("STAFF_INACTIVE");
    }

    @Test
    void the_list_is_sorted_carries_the_seq_and_filters_by_dates() {
        ApiClient t = therapist();
        t.post("/api/availability", slot("2026-12-16", "09:00", "10:00"));
        t.post("/api/availability", slot("2026-12-15", "15:00", "16:00"));
        t.post("/api/availability", slot("2026-12-15", "08:00", "09:00"));
        ApiClient.Response all = t.get("/api/availability");
        assertThat(all.json().get("seq").asLong()).isEqualTo(server.operator().get("/api/sync/head").json().get("seq").asLong());
        List<String> order = new ArrayList<>();
        all.json().get("items").forEach(s -> order.add(s.get("date").asText() + " " + s.get("start").asText()));
        assertThat(order).containsExactly("2026-12-15 08:00", "2026-12-15 15:00", "2026-12-16 09:00");
        assertThat(t.get("/api/availability?date=2026-12-15").json().get("items")).hasSize(2);
        assertThat(t.get("/api/availability?from=2026-12-16&to=2026-12-20").json().get("items")).hasSize(1);
        assertThat(t.get("/api/availability?from=2026-12-20&to=2026-12-16").errorCode()).isEqualTo("INVALID_RANGE");
        assertThat(server.operator().get("/api/availability?staffId=" + t.me() + "&date=2026-12-15").json().get("items")).hasSize(2);
    }

    @Test
    void available_staff_are_those_whose_slots_cover_the_whole_interval() {
        ApiClient covered = therapist();
        ApiClient partial = therapist();
        ApiClient overnight = server.newStaff("night" + USERS.incrementAndGet(), "driver");
        covered.post("/api/availability", slot("2026-12-20", "12:00", "14:00"));
        covered.post("/api/availability", slot("2026-12-20", "14:00", "18:00"));
        partial.post("/api/availability", slot("2026-12-20", "13:00", "15:00"));
        overnight.post("/api/availability", slot("2026-12-19", "20:00", "23:59"));
        overnight.post("/api/availability", slot("2026-12-20", "10:00", "04:00"));

        JsonNode free = server.operator().get("/api/available-staff?date=2026-12-20&start=13:00&end=16:00").json().get("items");
        List<Long> ids = new ArrayList<>();
        free.forEach(s -> ids.add(s.get("id").asLong()));
        assertThat(ids).contains(covered.me(), overnight.me()).doesNotContain(partial.me());

        JsonNode drivers = server.operator().get("/api/available-staff?date=2026-12-20&start=13:00&end=16:00&role=driver").json().get("items");
        drivers.forEach(s -> assertThat(s.get("role").asText()).isEqualTo("driver"));
        JsonNode lateNight = server.operator().get("/api/available-staff?date=2026-12-20&start=23:00&end=02:00").json().get("items");
        List<Long> nightIds = new ArrayList<>();
        lateNight.forEach(s -> nightIds.add(s.get("id").asLong()));
        assertThat(nightIds).containsExactly(overnight.me());
        assertThat(server.operator().get("/api/available-staff?date=2026-12-20&start=13:00").status()).isEqualTo(400);
    }
}
