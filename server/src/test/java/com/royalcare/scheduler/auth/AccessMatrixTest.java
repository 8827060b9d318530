package com.royalcare.scheduler.auth;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestClocks;
import com.royalcare.scheduler.support.SharedServer;
import java.time.LocalDate;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint × every caller: anonymous, server.operator(), the owning therapist, another therapist, a
 * driver. Each case runs against fresh data so state-changing calls cannot affect each other.
 */
class AccessMatrixTest {

    enum Caller { ANONYMOUS, OPERATOR, OWNER, OTHER_THERAPIST, DRIVER }

    /** One call to make: given the world (owner's id and a fresh slot of theirs) and a client. */
    record Call(String name, BiFunction<World, ApiClient, ApiClient.Response> send) {
        @Override
        public String toString() {
            return name;
        }
    }

    record World(long ownerId, long slotId, long otherStaffId) {
    }

    private static final AtomicInteger N = new AtomicInteger();
    @RegisterExtension
    static final SharedServer server = new SharedServer(Map.of(), TestClocks.startingAt(LocalDate.of(2026, 11, 1)));


    private static Map<String, Object> slotBody(Long staffId) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("date", "2026-12-02", "start", "09:00", "end", "10:00"));
        if (staffId != null) body.put("staffId", staffId);
        return body;
    }

    static Stream<Arguments> matrix() {
        // expected status per caller, in Caller order: ANONYMOUS, OPERATOR, OWNER, OTHER_THERAPIST, DRIVER
        List<Arguments> rows = new ArrayList<>();
        row(rows, "GET /api/me", (w, c) -> c.get("/api/me"), 401, 200, 200, 200, 200);
        row(rows, "GET /api/staff", (w, c) -> c.get("/api/staff"), 401, 200, 200, 200, 200);
        row(rows, "GET /api/staff/{id}", (w, c) -> c.get("/api/staff/" + w.ownerId()), 401, 200, 200, 200, 200);
        row(rows, "POST /api/staff", (w, c) -> c.post("/api/staff", Map.of("username", "new" + N.incrementAndGet(),
                "name", "N", "role", "driver", "password", "new-pass-123")), 401, 201, 403, 403, 403);
        row(rows, "PATCH /api/staff/{id}", (w, c) -> c.patch("/api/staff/" + w.otherStaffId(), Map.of("name", "Renamed"), null),
                401, 200, 403, 403, 403);
        row(rows, "GET /api/availability", (w, c) -> c.get("/api/availability"), 401, 200, 200, 200, 200);
        row(rows, "GET /api/availability?staffId=owner", (w, c) -> c.get("/api/availability?staffId=" + w.ownerId()),
                401, 200, 200, 403, 403);
        row(rows, "POST /api/availability for owner", (w, c) -> c.post("/api/availability", slotBody(w.ownerId())),
                401, 201, 201, 403, 403);
        row(rows, "GET /api/availability/{id}", (w, c) -> c.get("/api/availability/" + w.slotId()), 401, 200, 200, 404, 404);
        row(rows, "PUT /api/availability/{id}", (w, c) -> c.put("/api/availability/" + w.slotId(),
                Map.of("date", "2026-12-01", "start", "11:00", "end", "12:00"), null), 401, 200, 200, 404, 404);
        row(rows, "PATCH /api/availability/{id}", (w, c) -> c.patch("/api/availability/" + w.slotId(),
                Map.of("available", false), null), 401, 200, 200, 404, 404);
        row(rows, "DELETE /api/availability/{id}", (w, c) -> c.delete("/api/availability/" + w.slotId(), null), 401, 204, 204, 404, 404);
        // another person's slot answers exactly like a missing one (404), so ids tell nothing
        row(rows, "GET /api/availability/{missing id}", (w, c) -> c.get("/api/availability/999999"), 401, 404, 404, 404, 404);
        // answers everyone, but a non-operator only about themself (see need_to_know_...)
        row(rows, "GET /api/available-staff", (w, c) -> c.get("/api/available-staff?date=2026-12-01&start=09:00&end=10:00"),
                401, 200, 200, 200, 200);
        row(rows, "GET /api/services", (w, c) -> c.get("/api/services"), 401, 200, 200, 200, 200);
        row(rows, "POST /api/services", (w, c) -> c.post("/api/services", Map.of("name", "Menu " + N.incrementAndGet(),
                "durationMinutes", 60, "price", "500.00")), 401, 201, 403, 403, 403);
        row(rows, "GET /api/clients", (w, c) -> c.get("/api/clients"), 401, 200, 403, 403, 403);
        row(rows, "POST /api/clients", (w, c) -> c.post("/api/clients", Map.of("name", "Client",
                "phone", "+63917" + (4_000_000 + N.incrementAndGet()))), 401, 201, 403, 403, 403);
        row(rows, "GET /api/appointments", (w, c) -> c.get("/api/appointments"), 401, 200, 200, 200, 200);
        row(rows, "GET /api/appointments?staffId=owner", (w, c) -> c.get("/api/appointments?staffId=" + w.ownerId()),
                401, 200, 200, 403, 403);
        row(rows, "GET /api/sync/head", (w, c) -> c.get("/api/sync/head"), 401, 200, 200, 200, 200);
        row(rows, "POST /api/auth/logout", (w, c) -> c.post("/api/auth/logout", Map.of()), 401, 204, 204, 204, 204);
        return rows.stream();
    }

    private static void row(List<Arguments> rows, String name, BiFunction<World, ApiClient, ApiClient.Response> send, int... expected) {
        Caller[] callers = Caller.values();
        for (int i = 0; i < callers.length; i++) rows.add(Arguments.of(new Call(name, send), callers[i], expected[i]));
    }

    @org.junit.jupiter.api.Test
    void need_to_know_colleagues_see_names_and_roles_only_and_availability_only_of_themself() {
        int n = N.incrementAndGet();
        long driverId = server.operator().createStaff(server.baseUrl() + "/api/staff", "plated" + n, "driver", Map.of("phone", "+639170000001", "vehiclePlate", "ABC 123"));
        ApiClient me = server.newStaff("curious" + n, "therapist");
        long meId = me.me();
        ApiClient colleague = server.newStaff("colleague" + n, "therapist");
        long colleagueId = colleague.me();
        colleague.post("/api/availability", Map.of("date", "2026-12-03", "start", "09:00", "end", "12:00"));
        me.post("/api/availability", Map.of("date", "2026-12-03", "start", "09:00", "end", "12:00"));

        var items = me.get("/api/staff").json().get("items");
        for (var s : items) {
            if (s.get("id").asLong() == meId) {
                assertThat(s.has("username")).as("own record in full").isTrue();
            } else {
                List<String> fields = new ArrayList<>();
                s.fieldNames().forEachRemaining(fields::add);
                assertThat(fields)
                        .as(s.toString()).containsExactlyInAnyOrder("id", "name", "role", "active");
            }
        }
        ApiClient.Response driver = me.get("/api/staff/" + driverId);
        assertThat(driver.status()).isEqualTo(200);
        assertThat(driver.text()).doesNotContain("ABC 123").doesNotContain("+639170000001");
        assertThat(server.operator().get("/api/staff/" + driverId).text()).contains("ABC 123");

        String free = "/api/available-staff?date=2026-12-03&start=10:00&end=11:00";
        assertThat(me.get(free).json().get("items")).extracting(s -> s.get("id").asLong()).containsExactly(meId);
        assertThat(server.operator().get(free).json().get("items")).extracting(s -> s.get("id").asLong())
                .contains(meId, colleagueId);
    }

    @ParameterizedTest(name = "{0} as {1} -> {2}")
    @MethodSource("matrix")
    void endpoint_role_owner_matrix(Call call, Caller caller, int expected) {
        int n = N.incrementAndGet();
        ApiClient owner = server.newStaff("owner" + n, "therapist");
        long ownerId = owner.me();
        long slotId = owner.post("/api/availability", Map.of("date", "2026-12-01", "start", "09:00", "end", "10:00")).id();
        long otherStaffId = server.operator().createStaff("victim" + n, "driver");
        World world = new World(ownerId, slotId, otherStaffId);
        ApiClient client = switch (caller) {
            case ANONYMOUS -> server.anonymous();
            case OPERATOR -> server.get().operator(); // its own session: the logout row ends it
            case OWNER -> owner;
            case OTHER_THERAPIST -> server.newStaff("other" + n, "therapist");
            case DRIVER -> server.newStaff("driver" + n, "driver");
        };
        String before = server.operator().get("/api/availability/" + slotId).text();
        ApiClient.Response r = call.send().apply(world, client);
        assertThat(r.status()).as(r.text()).isEqualTo(expected);
        if (expected >= 400) {
            assertThat(r.json().get("error").get("code").asText()).isNotBlank();
            // A refused call changed nothing.
            assertThat(server.operator().get("/api/availability/" + slotId).text()).isEqualTo(before);
        }
    }
}
