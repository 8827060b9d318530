package com.royalcare.scheduler.availability;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import com.royalcare.scheduler.sync.Change;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Weekly schedules, apply and copy over HTTP; run once per database by the subclasses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WeeklyScheduleApiContract {

    private static final AtomicInteger USERS = new AtomicInteger();
    /** A Monday two weeks ahead: never in the past, well within a year. */
    static final LocalDate MONDAY = LocalDate.now(ZoneId.of("Asia/Manila")).plusWeeks(2).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));

    private TestServer server;

    protected abstract Map<String, String> env();

    @BeforeAll
    void start() {
        server = TestServer.start(env());
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    private ApiClient therapist() {
        return server.newStaff(getClass().getSimpleName().substring(0, 3).toLowerCase() + "wk" + USERS.incrementAndGet(), "therapist");
    }

    static Map<String, Object> week(boolean autoApply, Object... dayThenWindows) {
        Map<String, Object> days = new HashMap<>();
        for (int i = 0; i < dayThenWindows.length; i += 2) days.put((String) dayThenWindows[i], dayThenWindows[i + 1]);
        return Map.of("days", days, "autoApply", autoApply);
    }

    static Map<String, String> win(String start, String end) {
        return Map.of("start", start, "end", end);
    }

    private List<Change> changesSince(long seq) {
        var s = server.app().services();
        return s.db().read(h -> s.changeLog().readAfter(h, seq, 10_000));
    }

    private long head() {
        var s = server.app().services();
        return s.db().read(h -> s.changeLog().head(h));
    }

    @Test
    void an_unset_week_is_empty_version_0_and_saving_it_bumps_the_version_and_logs_a_change() {
        ApiClient t = therapist();
        long me = t.me();
        ApiClient.Response empty = t.get("/api/staff/" + me + "/weekly-schedule");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.json().get("version").asLong()).isZero();
        assertThat(empty.json().get("days").get("mon")).isEmpty();
        assertThat(empty.json().get("autoApply").asBoolean()).isFalse();

        long before = head();
        ApiClient.Response saved = t.put("/api/staff/" + me + "/weekly-schedule",
                week(false, "mon", List.of(win("13:00", "01:00")), "sat", List.of(win("09:00", "12:00"))), "\"0\"");
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.header("ETag")).isEqualTo("\"1\"");
        assertThat(saved.json().get("days").get("mon").get(0).get("end").asText()).isEqualTo("01:00");
        assertThat(saved.json().get("days").fieldNames()).toIterable().containsExactly("mon", "tue", "wed", "thu", "fri", "sat", "sun");
        List<Change> logged = changesSince(before);
        assertThat(logged).extracting(Change::type).containsExactly(WeeklyScheduleService.UPDATED);
        assertThat(logged.get(0).staffId()).isEqualTo(me);
        assertThat(logged.get(0).data().get("version").asLong()).isEqualTo(1);

        ApiClient.Response stale = t.put("/api/staff/" + me + "/weekly-schedule", week(true), "\"0\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().get("error").get("currentVersion").asLong()).isEqualTo(1);
        assertThat(stale.json().get("error").get("current").get("days").get("sat")).hasSize(1);
        assertThat(t.get("/api/staff/" + me + "/weekly-schedule").json().get("version").asLong()).isEqualTo(1);

        // the operator may edit anyone's week
        ApiClient.Response byOperator = server.operator().put("/api/staff/" + me + "/weekly-schedule", week(false), "\"1\"");
        assertThat(byOperator.status()).isEqualTo(200);
        assertThat(byOperator.json().get("version").asLong()).isEqualTo(2);
        assertThat(byOperator.json().get("days").get("mon")).isEmpty();
    }

    @Test
    void windows_overlapping_from_sunday_into_monday_are_refused_naming_both() {
        ApiClient t = therapist();
        long me = t.me();
        ApiClient.Response r = t.put("/api/staff/" + me + "/weekly-schedule",
                week(false, "sun", List.of(win("22:00", "02:00")), "mon", List.of(win("01:00", "03:00"))), null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("WEEKLY_OVERLAP");
        assertThat(r.json().get("error").get("message").asText()).contains("mon 01:00–03:00").contains("sun 22:00–02:00");
        assertThat(t.get("/api/staff/" + me + "/weekly-schedule").json().get("version").asLong()).isZero();
    }

    @Test
    void malformed_weeks_are_400_with_the_field_named() {
        ApiClient t = therapist();
        long me = t.me();
        ApiClient.Response badDay = t.put("/api/staff/" + me + "/weekly-schedule", week(false, "monday", List.of()), null);
        assertThat(badDay.status()).isEqualTo(400);
        assertThat(badDay.json().get("error").get("fields").has("days.monday")).isTrue();
        ApiClient.Response badTime = t.put("/api/staff/" + me + "/weekly-schedule", week(false, "tue", List.of(win("25:00", "02:00"))), null);
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.json().get("error").get("fields").has("days.tue[0]")).isTrue();
        ApiClient.Response equal = t.put("/api/staff/" + me + "/weekly-schedule", week(false, "tue", List.of(win("10:00", "10:00"))), null);
        assertThat(equal.status()).isEqualTo(400);
    }

    @Test
    void nobody_but_the_person_and_operators_sees_or_sets_a_week() {
        ApiClient a = therapist();
        ApiClient b = therapist();
        long aId = a.me();
        assertThat(b.get("/api/staff/" + aId + "/weekly-schedule").status()).isEqualTo(403);
        assertThat(b.put("/api/staff/" + aId + "/weekly-schedule", week(false), null).status()).isEqualTo(403);
        assertThat(b.post("/api/availability/apply-weekly", Map.of("staffId", aId, "from", MONDAY.toString(), "to", MONDAY.toString())).status())
                .isEqualTo(403);
        assertThat(server.operator().get("/api/staff/" + aId + "/weekly-schedule").status()).isEqualTo(200);
    }

    @Test
    void apply_creates_the_weeks_slots_skips_overrides_and_a_second_run_creates_nothing() {
        ApiClient t = therapist();
        long me = t.me();
        t.put("/api/staff/" + me + "/weekly-schedule", week(false,
                "mon", List.of(win("13:00", "01:00")),
                "tue", List.of(win("09:00", "12:00")),
                "sun", List.of(win("20:00", "23:00"))), null);
        // per-date entries: an unavailable block on the first Tuesday, a slot on the second Monday
        String tue = MONDAY.plusDays(1).toString();
        long block = t.post("/api/availability", Map.of("date", tue, "start", "10:00", "end", "11:00", "available", false)).id();
        long own = t.post("/api/availability", Map.of("date", MONDAY.plusDays(7).toString(), "start", "18:00", "end", "20:00")).id();

        long before = head();
        ApiClient.Response first = t.post("/api/availability/apply-weekly",
                Map.of("from", MONDAY.toString(), "to", MONDAY.plusDays(13).toString()));
        assertThat(first.status()).isEqualTo(200);
        JsonNode created = first.json().get("created");
        assertThat(texts(created, s -> s.get("date").asText() + " " + s.get("start").asText() + "-" + s.get("end").asText()))
                .containsExactly(MONDAY + " 13:00-01:00", MONDAY.plusDays(6) + " 20:00-23:00",
                        MONDAY.plusDays(8) + " 09:00-12:00", MONDAY.plusDays(13) + " 20:00-23:00");
        JsonNode skipped = first.json().get("skipped");
        assertThat(skipped).hasSize(2);
        assertThat(skipped.get(0).get("date").asText()).isEqualTo(tue);
        assertThat(skipped.get(0).get("reason").asText()).isEqualTo("overlap");
        assertThat(skipped.get(0).get("conflictingSlotId").asLong()).isEqualTo(block);
        assertThat(skipped.get(0).get("start").asText()).isEqualTo("09:00");
        assertThat(skipped.get(1).get("date").asText()).isEqualTo(MONDAY.plusDays(7).toString());
        assertThat(skipped.get(1).get("conflictingSlotId").asLong()).isEqualTo(own);
        // the overrides are untouched
        assertThat(t.get("/api/availability/" + block).json().get("version").asLong()).isEqualTo(1);
        assertThat(t.get("/api/availability/" + own).json().get("end").asText()).isEqualTo("20:00");
        // each created slot is the normal availability_created change, with the slot as its data
        List<Change> logged = changesSince(before);
        assertThat(logged).extracting(Change::type).containsOnly(AvailabilityService.CREATED).hasSize(4);
        assertThat(logged).extracting(c -> c.data().get("id").asLong())
                .containsExactlyElementsOf(texts(created, s -> s.get("id").asText()).stream().map(Long::valueOf).toList());

        long afterFirst = head();
        ApiClient.Response second = t.post("/api/availability/apply-weekly",
                Map.of("from", MONDAY.toString(), "to", MONDAY.plusDays(13).toString()));
        assertThat(second.json().get("created")).isEmpty();
        assertThat(texts(second.json().get("skipped"), s -> s.get("reason").asText()))
                .containsExactly("already_there", "overlap", "already_there", "overlap", "already_there", "already_there");
        assertThat(head()).isEqualTo(afterFirst);
        assertThat(t.get("/api/availability?from=" + MONDAY + "&to=" + MONDAY.plusDays(13)).json().get("items")).hasSize(6);
    }

    @Test
    void a_retried_apply_or_copy_with_the_same_idempotency_key_gets_the_first_answer_and_stores_nothing_twice() {
        ApiClient t = therapist();
        long me = t.me();
        t.put("/api/staff/" + me + "/weekly-schedule", week(false, "wed", List.of(win("10:00", "14:00"))), null);
        byte[] apply = ApiClient.MAPPER.valueToTree(Map.of("from", MONDAY.toString(), "to", MONDAY.plusDays(6).toString()))
                .toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> key = Map.of("Idempotency-Key", "apply-" + me);
        ApiClient.Response first = t.raw("POST", "/api/availability/apply-weekly", apply, key);
        assertThat(first.json().get("created")).hasSize(1);
        long afterFirst = head();
        ApiClient.Response retry = t.raw("POST", "/api/availability/apply-weekly", apply, key);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json()).as("the first answer, not 'already there'").isEqualTo(first.json());
        assertThat(head()).isEqualTo(afterFirst);

        byte[] copy = ApiClient.MAPPER.valueToTree(Map.of("fromDate", MONDAY.plusDays(2).toString(),
                "toDates", List.of(MONDAY.plusDays(3).toString()))).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> copyKey = Map.of("Idempotency-Key", "copy-" + me);
        ApiClient.Response copied = t.raw("POST", "/api/availability/copy", copy, copyKey);
        assertThat(copied.json().get("created")).hasSize(1);
        assertThat(t.raw("POST", "/api/availability/copy", copy, copyKey).json()).isEqualTo(copied.json());
        assertThat(t.get("/api/availability?from=" + MONDAY + "&to=" + MONDAY.plusDays(6)).json().get("items")).hasSize(2);
        byte[] otherCopy = ApiClient.MAPPER.valueToTree(Map.of("fromDate", MONDAY.plusDays(2).toString(),
                "toDates", List.of(MONDAY.plusDays(4).toString()))).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(t.raw("POST", "/api/availability/copy", otherCopy, copyKey).status())
                .as("the same key for another request").isEqualTo(422);
    }

    @Test
    void a_window_where_a_visit_is_booked_is_skipped_naming_the_appointment() {
        ApiClient t = therapist();
        long me = t.me();
        ApiClient op = server.operator();
        long service = op.post("/api/services", Map.of("name", "Weekly test massage " + me, "durationMinutes", 60, "price", "800.00")).id();
        long client = op.post("/api/clients", Map.of("name", "Weekly client " + me, "phone", "+63 918 " + (2_000_000 + me),
                "address", "1 Ayala Ave, Makati")).id();
        ApiClient.Response booked = op.post("/api/appointments", Map.of("clientId", client, "serviceIds", List.of(service),
                "therapistIds", List.of(me), "date", MONDAY.plusDays(3).toString(), "start", "11:00", "force", true));
        assertThat(booked.status()).as(booked.text()).isEqualTo(201);
        t.put("/api/staff/" + me + "/weekly-schedule", week(false,
                "wed", List.of(win("10:00", "14:00")), "thu", List.of(win("10:00", "14:00"))), null);

        ApiClient.Response r = t.post("/api/availability/apply-weekly", Map.of("from", MONDAY.toString(), "to", MONDAY.plusDays(6).toString()));
        assertThat(texts(r.json().get("created"), s -> s.get("date").asText())).containsExactly(MONDAY.plusDays(2).toString());
        JsonNode skip = r.json().get("skipped").get(0);
        assertThat(skip.get("date").asText()).isEqualTo(MONDAY.plusDays(3).toString());
        assertThat(skip.get("reason").asText()).isEqualTo("booked");
        assertThat(skip.get("conflictingAppointmentId").asLong()).isEqualTo(booked.id());
        assertThat(skip.get("message").asText()).contains("Appointment " + booked.id());
    }

    @Test
    void an_overnight_window_is_skipped_when_it_would_run_into_the_next_days_slot() {
        ApiClient t = therapist();
        long me = t.me();
        t.put("/api/staff/" + me + "/weekly-schedule", week(false, "mon", List.of(win("22:00", "03:00"))), null);
        long early = t.post("/api/availability", Map.of("date", MONDAY.plusDays(1).toString(), "start", "02:00", "end", "05:00")).id();
        ApiClient.Response r = t.post("/api/availability/apply-weekly", Map.of("from", MONDAY.toString(), "to", MONDAY.toString()));
        assertThat(r.json().get("created")).isEmpty();
        assertThat(r.json().get("skipped").get(0).get("conflictingSlotId").asLong()).isEqualTo(early);
    }

    @Test
    void apply_refuses_more_than_92_days_and_a_reversed_range() {
        ApiClient t = therapist();
        assertThat(t.post("/api/availability/apply-weekly", Map.of("from", MONDAY.toString(), "to", MONDAY.plusDays(92).toString())).status())
                .isEqualTo(400);
        assertThat(t.post("/api/availability/apply-weekly", Map.of("from", MONDAY.toString(), "to", MONDAY.plusDays(91).toString())).status())
                .isEqualTo(200);
        assertThat(t.post("/api/availability/apply-weekly", Map.of("from", MONDAY.toString(), "to", MONDAY.minusDays(1).toString())).status())
                .isEqualTo(400);
        assertThat(t.post("/api/availability/apply-weekly", Map.of("from", "2026-02-30", "to", MONDAY.toString())).status()).isEqualTo(400);
        assertThat(server.operator().post("/api/availability/apply-weekly", Map.of("from", MONDAY.toString(), "to", MONDAY.toString())).status())
                .as("an operator must say whose week").isEqualTo(400);
    }

    @Test
    void copy_puts_a_days_slots_on_other_days_with_the_same_skips_and_is_idempotent() {
        ApiClient t = therapist();
        String from = MONDAY.toString();
        Map<String, Object> withNote = new HashMap<>(Map.of("date", from, "start", "13:00", "end", "17:00"));
        withNote.put("note", "Makati only");
        t.post("/api/availability", withNote);
        t.post("/api/availability", Map.of("date", from, "start", "20:00", "end", "02:00"));
        t.post("/api/availability", Map.of("date", from, "start", "14:00", "end", "15:00", "available", false));
        long clash = t.post("/api/availability", Map.of("date", MONDAY.plusDays(2).toString(), "start", "16:00", "end", "18:00")).id();

        List<String> to = List.of(MONDAY.plusDays(1).toString(), MONDAY.plusDays(2).toString());
        ApiClient.Response r = t.post("/api/availability/copy", Map.of("fromDate", from, "toDates", to));
        assertThat(r.status()).isEqualTo(200);
        // Tuesday gets all three (the unavailable block inside the available slot, as on Monday);
        // Monday's overnight slot runs into Tuesday 02:00, so Tuesday's own 20:00 copy is fine.
        assertThat(texts(r.json().get("created"), s -> s.get("date").asText() + " " + s.get("start").asText()
                + (s.get("available").asBoolean() ? "" : " off")))
                .containsExactly(to.get(0) + " 13:00", to.get(0) + " 14:00 off", to.get(0) + " 20:00",
                        to.get(1) + " 14:00 off", to.get(1) + " 20:00");
        assertThat(r.json().get("created").get(0).get("note").asText()).isEqualTo("Makati only");
        assertThat(r.json().get("skipped")).hasSize(1);
        assertThat(r.json().get("skipped").get(0).get("conflictingSlotId").asLong()).isEqualTo(clash);

        ApiClient.Response again = t.post("/api/availability/copy", Map.of("fromDate", from, "toDates", to));
        assertThat(again.json().get("created")).isEmpty();
        assertThat(again.json().get("skipped")).hasSize(6);

        assertThat(t.post("/api/availability/copy", Map.of("fromDate", from, "toDates", List.of(from))).status()).isEqualTo(400);
        assertThat(t.post("/api/availability/copy", Map.of("fromDate", from, "toDates", List.of())).status()).isEqualTo(400);
        assertThat(t.post("/api/availability/copy", Map.of("fromDate", from, "toDates", List.of("2030-13-01"))).status()).isEqualTo(400);
    }

    @Test
    void therapists_cannot_set_the_past_or_more_than_a_year_ahead_but_operators_can_correct_the_past() {
        ApiClient t = therapist();
        long me = t.me();
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Manila"));
        ApiClient.Response past = t.post("/api/availability", Map.of("date", today.minusDays(2).toString(), "start", "09:00", "end", "10:00"));
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.errorCode()).isEqualTo("SLOT_IN_THE_PAST");
        assertThat(past.json().get("error").get("message").asText()).contains("past");
        ApiClient.Response far = t.post("/api/availability", Map.of("date", today.plusYears(1).plusDays(2).toString(), "start", "09:00", "end", "10:00"));
        assertThat(far.status()).isEqualTo(400);
        assertThat(far.errorCode()).isEqualTo("TOO_FAR_AHEAD");

        ApiClient.Response corrected = server.operator().post("/api/availability",
                Map.of("staffId", me, "date", today.minusDays(2).toString(), "start", "09:00", "end", "10:00"));
        assertThat(corrected.status()).isEqualTo(201);
        // the therapist cannot change that past slot, nor move a future one into the past
        assertThat(t.patch("/api/availability/" + corrected.id(), Map.of("note", "x"), null).status()).isEqualTo(400);
        long future = t.post("/api/availability", Map.of("date", MONDAY.toString(), "start", "09:00", "end", "10:00")).id();
        assertThat(t.patch("/api/availability/" + future, Map.of("date", today.minusDays(1).toString()), null).status()).isEqualTo(400);
        assertThat(server.operator().patch("/api/availability/" + corrected.id(), Map.of("note", "fixed"), null).status()).isEqualTo(200);
        // apply for a range wholly in the past is refused for a therapist
        assertThat(t.post("/api/availability/apply-weekly", Map.of("from", today.minusDays(9).toString(), "to", today.minusDays(3).toString())).status())
                .isEqualTo(400);
    }

    private static List<String> texts(JsonNode array, java.util.function.Function<JsonNode, String> f) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(f.apply(n)));
        return out;
    }
}
