package com.royalcare.scheduler.staff;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Operators see when a sign-in lock ends and can lift it; nobody else sees or lifts locks. */
class StaffUnlockApiTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer(java.util.Map.of("SIGN_IN_BURST", "1000")); // about locks, not the throttle

    private static void lockOut(String username) {
        for (int i = 0; i < 5; i++) {
            server.anonymous().post("/api/auth/login", Map.of("username", username, "password", "wrong-password"));
        }
        // locked from here: even the right password answers like a wrong one
        assertThat(server.anonymous().post("/api/auth/login", Map.of("username", username, "password", ApiClient.passwordOf(username)))
                .status()).isEqualTo(401);
    }

    private static JsonNode listed(ApiClient client, long id) {
        for (JsonNode s : client.get("/api/staff").json().get("items")) if (s.get("id").asLong() == id) return s;
        throw new AssertionError("staff " + id + " not listed");
    }

    @Test
    void operator_sees_the_lock_end_and_unlocking_lets_the_person_sign_in_again() {
        long id = server.newStaff("lockee", "therapist").me();
        assertThat(listed(server.operator(), id).get("lockedUntil").isNull()).isTrue();
        lockOut("lockee");

        JsonNode locked = listed(server.operator(), id);
        assertThat(Instant.parse(locked.get("lockedUntil").asText())).isAfter(Instant.now());
        assertThat(locked.get("username").asText()).isEqualTo("lockee"); // the record itself is unchanged
        assertThat(server.operator().get("/api/staff/" + id).json().get("lockedUntil").isNull()).isFalse();

        ApiClient.Response unlocked = server.operator().post("/api/staff/" + id + "/unlock", Map.of());
        assertThat(unlocked.status()).isEqualTo(200);
        assertThat(unlocked.json().get("lockedUntil").isNull()).isTrue();
        assertThat(listed(server.operator(), id).get("lockedUntil").isNull()).isTrue();
        assertThat(ApiClient.signIn(server.baseUrl(), "lockee", ApiClient.passwordOf("lockee")).me()).isEqualTo(id);
    }

    @Test
    void others_neither_see_locks_nor_unlock() {
        ApiClient driver = server.newStaff("nosy", "driver");
        long id = server.newStaff("locked2", "therapist").me();
        lockOut("locked2");
        assertThat(listed(driver, id).has("lockedUntil")).isFalse();
        ApiClient.Response r = driver.post("/api/staff/" + id + "/unlock", Map.of());
        assertThat(r.status()).isEqualTo(403);
        assertThat(server.anonymous().post("/api/auth/login", Map.of("username", "locked2", "password", ApiClient.passwordOf("locked2")))
                .status()).isEqualTo(401);
    }

    private static List<JsonNode> changesAbout(ApiClient viewer, long since, String type, long id) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode e : viewer.get("/api/changes?since=" + since).json().get("events")) {
            if (e.get("type").asText().equals(type) && e.get("data").get("id").asLong() == id) found.add(e);
        }
        return found;
    }

    @Test
    void a_lockout_is_a_change_only_operators_see_and_the_unlock_is_one_too() {
        ApiClient person = server.newStaff("watched", "therapist");
        ApiClient colleague = server.newStaff("watcher", "therapist");
        long id = person.me();
        long since = server.operator().get("/api/sync/head").json().get("seq").asLong();
        lockOut("watched");

        List<JsonNode> locks = changesAbout(server.operator(), since, "staff_locked", id);
        assertThat(locks).hasSize(1); // the refused attempts after the lock add none
        JsonNode lock = locks.get(0);
        assertThat(lock.get("actorId").isNull()).isTrue();
        assertThat(lock.get("data").get("name").asText()).isEqualTo("Test watched");
        assertThat(Instant.parse(lock.get("data").get("lockedUntil").asText()))
                .isEqualTo(Instant.parse(listed(server.operator(), id).get("lockedUntil").asText()));
        assertThat(changesAbout(person, since, "staff_locked", id)).isEmpty();
        assertThat(changesAbout(colleague, since, "staff_locked", id)).isEmpty();

        assertThat(server.operator().post("/api/staff/" + id + "/unlock", Map.of()).status()).isEqualTo(200);
        assertThat(changesAbout(server.operator(), since, "staff_updated", id)).hasSize(1);
    }

    @Test
    void unlocking_nobody_is_a_404() {
        assertThat(server.operator().post("/api/staff/999999/unlock", Map.of()).status()).isEqualTo(404);
    }
}
