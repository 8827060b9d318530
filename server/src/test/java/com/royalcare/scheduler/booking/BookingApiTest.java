package com.royalcare.scheduler.booking;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static com.royalcare.scheduler.booking.BookingFixture.book;
import static com.royalcare.scheduler.booking.BookingFixture.client;
import static com.royalcare.scheduler.booking.BookingFixture.service;
import static com.royalcare.scheduler.booking.BookingFixture.slot;
import static org.assertj.core.api.Assertions.assertThat;

/** Services, clients and appointments over HTTP, with the booking rules. */
class BookingApiTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void services_have_exact_prices_and_unique_names_and_only_operators_change_them() {
        ApiClient op = server.operator();
        ApiClient.Response created = op.post("/api/services", Map.of("name", "Hot stone", "durationMinutes", 75, "price", "1250.50"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/services/" + created.id());
        assertThat(created.json().get("price").decimalValue()).isEqualByComparingTo("1250.50");
        assertThat(created.text()).contains("\"price\":1250.50");
        assertThat(op.post("/api/services", Map.of("name", "hot STONE", "durationMinutes", 60, "price", 1)).errorCode()).isEqualTo("DUPLICATE");
        ApiClient.Response threeDecimals = op.post("/api/services", Map.of("name", "Odd", "durationMinutes", 60, "price", 10.125));
        assertThat(threeDecimals.status()).isEqualTo(400);
        assertThat(threeDecimals.json().at("/error/fields/price").asText()).contains("two decimals");
        assertThat(op.post("/api/services", Map.of("name", "Neg", "durationMinutes", 60, "price", -1)).status()).isEqualTo(400);
        ApiClient.Response patched = op.patch("/api/services/" + created.id(), Map.of("price", 1300, "active", false), null);
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("price").decimalValue()).isEqualByComparingTo("1300.00");
        assertThat(patched.json().get("active").asBoolean()).isFalse();

        ApiClient therapist = server.newStaff("svc-therapist", "therapist");
        assertThat(therapist.get("/api/services").json().get("items")).anyMatch(s -> s.get("name").asText().equals("Hot stone"));
        assertThat(therapist.get("/api/services").json().has("seq")).isTrue();
        assertThat(therapist.post("/api/services", Map.of("name", "Mine", "durationMinutes", 60, "price", 1)).status()).isEqualTo(403);
        assertThat(therapist.patch("/api/services/" + created.id(), Map.of("price", 1), null).status()).isEqualTo(403);
    }

    @Test
    void clients_are_unique_by_phone_searchable_and_operators_only() {
        ApiClient op = server.operator();
        ApiClient.Response maria = op.post("/api/clients", Map.of("name", "Maria Clara", "phone", "+63 917 555 0101",
                "address", "12 Rizal Ave, Manila", "notes", "Gate code 4321"));
        assertThat(maria.status()).isEqualTo(201);
        assertThat(maria.json().get("phone").asText()).isEqualTo("+639175550101");
        ApiClient.Response twin = op.post("/api/clients", Map.of("name", "M. Clara", "phone", "+63-917-555-0101"));
        assertThat(twin.status()).isEqualTo(409);
        assertThat(twin.errorCode()).isEqualTo("DUPLICATE_CLIENT");
        assertThat(twin.json().at("/error/existingId").asLong()).isEqualTo(maria.id());
        assertThat(op.get("/api/clients?q=clara").json().get("items")).extracting(j -> j.get("id").asLong()).contains(maria.id());
        assertThat(op.get("/api/clients?q=5550101").json().get("items")).extracting(j -> j.get("id").asLong()).contains(maria.id());
        assertThat(op.get("/api/clients?q=nobody-like-this").json().get("items")).isEmpty();
        assertThat(op.patch("/api/clients/" + maria.id(), Map.of("address", "14 Rizal Ave"), null).json().get("address").asText())
                .isEqualTo("14 Rizal Ave");
        assertThat(op.post("/api/clients", Map.of("name", "No phone")).status()).isEqualTo(400);

        ApiClient therapist = server.newStaff("cl-therapist", "therapist");
        assertThat(therapist.get("/api/clients").status()).isEqualTo(403);
        assertThat(therapist.get("/api/clients/" + maria.id()).status()).isEqualTo(403);
        assertThat(therapist.post("/api/clients", Map.of("name", "X", "phone", "0917 000 1111")).status()).isEqualTo(403);
        assertThat(server.anonymous().get("/api/clients").status()).isEqualTo(401);
    }

    @Test
    void booking_returns_the_appointment_with_defaults_and_lists_it_with_a_seq() {
        ApiClient op = server.operator();
        long anna = op.createStaff("bk-anna", "therapist");
        long dan = op.createStaff("bk-dan", "driver");
        long swedish = service(op, 60, "800.00");
        long foot = service(op, 30, "450.50");
        long client = client(op);
        slot(op, anna, "2026-12-10", "09:00", "17:00");
        slot(op, dan, "2026-12-10", "08:00", "18:00");

        ApiClient.Response r = op.post("/api/appointments", Map.of("clientId", client, "serviceIds", List.of(swedish, foot),
                "therapistIds", List.of(anna), "driverId", dan, "date", "2026-12-10", "start", "10:00", "notes", "Ring twice"));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        JsonNode a = r.json();
        assertThat(r.header("Location")).isEqualTo("/api/appointments/" + a.get("id").asLong());
        assertThat(a.get("end").asText()).isEqualTo("11:30");
        assertThat(a.get("total").decimalValue()).isEqualByComparingTo("1250.50");
        assertThat(a.get("status").asText()).isEqualTo("pending");
        assertThat(a.get("overdue").asBoolean()).isFalse();
        assertThat(a.get("forced").asBoolean()).isFalse();
        assertThat(a.get("version").asLong()).isEqualTo(1);
        assertThat(a.at("/client/id").asLong()).isEqualTo(client);
        assertThat(a.get("address").asText()).endsWith("Mabini St, Makati");
        assertThat(a.get("services")).hasSize(2);
        assertThat(a.at("/therapists/0/id").asLong()).isEqualTo(anna);
        assertThat(a.at("/therapists/0/response").asText()).isEqualTo("pending");
        assertThat(a.at("/driver/id").asLong()).isEqualTo(dan);
        assertThat(a.at("/history/0/status").asText()).isEqualTo("pending");
        assertThat(a.at("/history/0/byId").asLong()).isEqualTo(op.me());

        JsonNode list = op.get("/api/appointments?date=2026-12-10&staffId=" + anna).json();
        assertThat(list.get("seq").asLong()).isPositive();
        assertThat(list.get("items")).extracting(j -> j.get("id").asLong()).containsExactly(a.get("id").asLong());
        assertThat(op.get("/api/appointments?date=2026-12-11&staffId=" + anna).json().get("items")).isEmpty();
        assertThat(op.get("/api/appointments?status=confirmed&staffId=" + anna).json().get("items")).isEmpty();
        assertThat(op.get("/api/appointments/" + a.get("id").asLong()).json().get("end").asText()).isEqualTo("11:30");
        assertThat(op.get("/api/appointments?status=bogus").status()).isEqualTo(400);
    }

    @Test
    void booking_outside_availability_needs_force_and_is_recorded() {
        ApiClient op = server.operator();
        long bea = op.createStaff("bk-bea", "therapist");
        long s = service(op, 60, "700");
        long c = client(op);
        slot(op, bea, "2026-12-11", "09:00", "12:00");
        ApiClient.Response outside = book(op, c, s, bea, "2026-12-11", "11:30");
        assertThat(outside.status()).isEqualTo(409);
        assertThat(outside.errorCode()).isEqualTo("NOT_AVAILABLE");
        assertThat(outside.json().at("/error/staffIds/0").asLong()).isEqualTo(bea);
        assertThat(outside.json().at("/error/message").asText()).contains("Test bk-bea");

        ApiClient.Response forced = book(op, c, s, List.of(bea), null, "2026-12-11", "11:30", Map.of("force", true));
        assertThat(forced.status()).isEqualTo(201);
        assertThat(forced.json().get("forced").asBoolean()).isTrue();
        assertThat(forced.json().at("/history/0/reason").asText()).contains("forced");
    }

    @Test
    void an_unavailable_block_inside_the_visit_or_an_overnight_slot_decide_coverage() {
        ApiClient op = server.operator();
        long cara = op.createStaff("bk-cara", "therapist");
        long s = service(op, 60, "700");
        long c = client(op);
        slot(op, cara, "2026-12-12", "20:00", "03:00");
        assertThat(book(op, c, s, cara, "2026-12-13", "01:00").status()).isEqualTo(201); // covered by last night's slot
        slot(op, cara, "2026-12-14", "09:00", "17:00");
        op.post("/api/availability", Map.of("staffId", cara, "date", "2026-12-14", "start", "12:00", "end", "12:30", "available", false));
        assertThat(book(op, c, s, cara, "2026-12-14", "11:45").errorCode()).isEqualTo("NOT_AVAILABLE");
        assertThat(book(op, c, s, cara, "2026-12-14", "13:00").status()).isEqualTo(201);
    }

    @Test
    void the_travel_buffer_blocks_close_visits_either_side_and_force_does_not_override_it() {
        ApiClient op = server.operator();
        long dee = op.createStaff("bk-dee", "therapist");
        long s = service(op, 60, "700");
        long c = client(op);
        slot(op, dee, "2026-12-15", "08:00", "20:00");
        long first = book(op, c, s, dee, "2026-12-15", "12:00").id();
        for (String start : List.of("10:45", "13:15", "12:30")) {
            ApiClient.Response clash = book(op, c, s, List.of(dee), null, "2026-12-15", start, Map.of("force", true));
            assertThat(clash.status()).as(start).isEqualTo(409);
            assertThat(clash.errorCode()).isEqualTo("STAFF_BOOKED");
            assertThat(clash.json().at("/error/appointmentId").asLong()).isEqualTo(first);
        }
        assertThat(book(op, c, s, dee, "2026-12-15", "10:30").status()).isEqualTo(201); // ends 11:30, exactly the buffer
        assertThat(book(op, c, s, dee, "2026-12-15", "13:30").status()).isEqualTo(201);
    }

    @Test
    void a_rejecting_assignees_time_and_a_cancelled_visits_time_are_released() {
        ApiClient op = server.operator();
        ApiClient eve = server.newStaff("bk-eve", "therapist");
        long eveId = eve.me();
        long s = service(op, 60, "700");
        long c = client(op);
        slot(op, eveId, "2026-12-16", "08:00", "20:00");
        long first = book(op, c, s, eveId, "2026-12-16", "10:00").id();
        assertThat(book(op, c, s, eveId, "2026-12-16", "10:00").errorCode()).isEqualTo("STAFF_BOOKED");
        assertThat(eve.post("/api/appointments/" + first + "/reject", Map.of("reason", "Too far")).status()).isEqualTo(200);
        long second = book(op, c, s, eveId, "2026-12-16", "10:00").id();
        assertThat(second).isPositive();
        assertThat(op.post("/api/appointments/" + second + "/cancel", Map.of("reason", "Client called off")).status()).isEqualTo(200);
        assertThat(book(op, c, s, eveId, "2026-12-16", "10:00").status()).isEqualTo(201);
    }

    @Test
    void wrong_roles_inactive_staff_and_bad_input_are_refused_clearly() {
        ApiClient op = server.operator();
        long fay = op.createStaff("bk-fay", "therapist");
        long gus = op.createStaff("bk-gus", "driver");
        long s = service(op, 60, "700");
        long c = client(op);
        ApiClient.Response driverAsTherapist = book(op, c, s, List.of(gus), null, "2026-12-17", "10:00", Map.of("force", true));
        assertThat(driverAsTherapist.status()).isEqualTo(400);
        assertThat(driverAsTherapist.json().at("/error/fields/therapistIds").asText()).contains("driver");
        assertThat(book(op, c, s, List.of(fay), fay, "2026-12-17", "10:00", Map.of()).status()).isEqualTo(400);
        assertThat(book(op, c, s, List.of(fay), null, "2026-12-17", "10:00", Map.of("driverId", fay + 1000)).status()).isEqualTo(400);
        assertThat(book(op, 999_999, s, fay, "2026-12-17", "10:00").status()).isEqualTo(400);
        assertThat(book(op, c, s, List.of(fay), null, "2026-12-17", "25:00", Map.of()).status()).isEqualTo(400);
        assertThat(book(op, c, s, List.of(fay), null, "2026-12-17", "10:00", Map.of("end", "10:00")).errorCode()).isEqualTo("INVALID_RANGE");
        assertThat(op.post("/api/appointments", Map.of("clientId", c)).json().at("/error/fields").size()).isGreaterThanOrEqualTo(3);
        op.patch("/api/staff/" + fay, Map.of("active", false), null);
        ApiClient.Response inactive = book(op, c, s, List.of(fay), null, "2026-12-17", "10:00", Map.of("force", true));
        assertThat(inactive.status()).isEqualTo(409);
        assertThat(inactive.errorCode()).isEqualTo("STAFF_INACTIVE");
        ApiClient therapist = server.newStaff("bk-hal", "therapist");
        assertThat(book(therapist, c, s, therapist.me(), "2026-12-17", "10:00").status()).isEqualTo(403);
    }

    @Test
    void patch_needs_the_current_version_and_a_changed_time_is_answered_again() {
        ApiClient op = server.operator();
        ApiClient ian = server.newStaff("bk-ian", "therapist");
        long ianId = ian.me();
        long s = service(op, 60, "700");
        long c = client(op);
        slot(op, ianId, "2026-12-18", "08:00", "20:00");
        ApiClient.Response booked = book(op, c, s, ianId, "2026-12-18", "10:00");
        long id = booked.id();
        assertThat(ian.post("/api/appointments/" + id + "/accept", Map.of()).json().get("status").asText()).isEqualTo("confirmed");
        assertThat(op.patch("/api/appointments/" + id, Map.of("notes", "x"), "\"1\"").status()).isEqualTo(412);
        ApiClient.Response notes = op.patch("/api/appointments/" + id, Map.of("notes", "Bring oil"), "\"2\"");
        assertThat(notes.status()).as(notes.text()).isEqualTo(200);
        assertThat(notes.json().get("status").asText()).isEqualTo("confirmed");
        assertThat(notes.header("ETag")).isEqualTo("\"3\"");
        ApiClient.Response moved = op.patch("/api/appointments/" + id, Map.of("start", "14:00"), "\"3\"");
        assertThat(moved.json().get("end").asText()).isEqualTo("15:00");
        assertThat(moved.json().get("status").asText()).isEqualTo("pending");
        assertThat(moved.json().at("/therapists/0/response").asText()).isEqualTo("pending");
        ApiClient.Response outside = op.patch("/api/appointments/" + id, Map.of("start", "21:00"), null);
        assertThat(outside.errorCode()).isEqualTo("NOT_AVAILABLE");
        assertThat(ian.patch("/api/appointments/" + id, Map.of("notes", "mine"), null).status()).isEqualTo(403);
    }

    @Test
    void slots_that_appointments_need_cannot_be_deleted_shrunk_or_blocked_unless_an_operator_forces_it() {
        ApiClient op = server.operator();
        ApiClient jo = server.newStaff("bk-jo", "therapist");
        long joId = jo.me();
        long s = service(op, 60, "700");
        long c = client(op);
        ApiClient.Response slotR = op.post("/api/availability", Map.of("staffId", joId, "date", "2026-12-19", "start", "09:00", "end", "17:00"));
        long slotId = slotR.id();
        long appt = book(op, c, s, joId, "2026-12-19", "15:00").id();

        ApiClient.Response del = jo.delete("/api/availability/" + slotId, null);
        assertThat(del.status()).isEqualTo(409);
        assertThat(del.errorCode()).isEqualTo("SLOT_HAS_BOOKINGS");
        assertThat(del.json().at("/error/appointmentIds/0").asLong()).isEqualTo(appt);
        assertThat(jo.patch("/api/availability/" + slotId, Map.of("end", "15:30"), null).errorCode()).isEqualTo("SLOT_HAS_BOOKINGS");
        assertThat(jo.patch("/api/availability/" + slotId, Map.of("end", "16:00"), null).status()).isEqualTo(200); // still covers 15-16
        assertThat(jo.post("/api/availability", Map.of("date", "2026-12-19", "start", "15:30", "end", "15:45", "available", false))
                .errorCode()).isEqualTo("SLOT_HAS_BOOKINGS");
        assertThat(jo.patch("/api/availability/" + slotId, Map.of("date", "2026-12-20"), null).errorCode()).isEqualTo("SLOT_HAS_BOOKINGS");
        assertThat(jo.delete("/api/availability/" + slotId + "?force=true", null).status()).isEqualTo(403);
        assertThat(op.patch("/api/availability/" + slotId, Map.of("end", "15:30", "force", true), null).status()).isEqualTo(200);
        assertThat(op.delete("/api/availability/" + slotId + "?force=true", null).status()).isEqualTo(204);
    }

    @Test
    void available_staff_subtracts_bookings_and_the_travel_buffer() {
        ApiClient op = server.operator();
        long kim = op.createStaff("bk-kim", "therapist");
        long s = service(op, 60, "700");
        long c = client(op);
        slot(op, kim, "2026-12-21", "08:00", "20:00");
        String q = "/api/available-staff?role=therapist&date=2026-12-21&start=%s&end=%s";
        assertThat(ids(op.get(q.formatted("13:00", "14:00")).json())).contains(kim);
        book(op, c, s, kim, "2026-12-21", "11:00");
        assertThat(ids(op.get(q.formatted("11:30", "12:00")).json())).doesNotContain(kim);
        assertThat(ids(op.get(q.formatted("12:15", "13:00")).json())).doesNotContain(kim); // inside the buffer
        assertThat(ids(op.get(q.formatted("12:30", "13:30")).json())).contains(kim);
        assertThat(ids(op.get(q.formatted("09:00", "10:30")).json())).contains(kim);
    }

    private static List<Long> ids(JsonNode list) {
        return java.util.stream.StreamSupport.stream(list.get("items").spliterator(), false).map(j -> j.get("id").asLong()).toList();
    }
}
