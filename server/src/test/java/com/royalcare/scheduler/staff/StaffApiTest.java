package com.royalcare.scheduler.staff;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StaffApiTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();


    private static Map<String, Object> staff(String username, String role) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("name", "Name " + username);
        body.put("role", role);
        body.put("password", "secret-pass-1");
        return body;
    }

    @Test
    void operator_creates_a_therapist_with_all_fields() {
        Map<String, Object> body = staff("mia", "therapist");
        body.put("phone", "+63 917 123 4567");
        body.put("specialization", "Swedish");
        body.put("pressure", "moderate");
        ApiClient.Response r = server.operator().post("/api/staff", body);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Location")).isEqualTo("/api/staff/" + r.id());
        assertThat(r.json().get("pressure").asText()).isEqualTo("moderate");
        assertThat(r.json().get("active").asBoolean()).isTrue();
        assertThat(r.json().has("password")).isFalse();
        assertThat(server.operator().get("/api/staff/" + r.id()).json().get("username").asText()).isEqualTo("mia");
        assertThat(ApiClient.signIn(server.baseUrl(), "mia", "secret-pass-1").me()).isEqualTo(r.id());
    }

    @Test
    void only_operators_create_or_edit_staff() {
        ApiClient therapist = server.newStaff("notboss", "therapist");
        ApiClient.Response create = therapist.post("/api/staff", staff("sneaky", "driver"));
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(therapist.patch("/api/staff/" + therapist.me(), Map.of("name", "Boss"), null).status()).isEqualTo(403);
    }

    @Test
    void anyone_signed_in_lists_staff_filtered_by_role_and_active() {
        ApiClient driver = server.newStaff("lister", "driver");
        ApiClient.Response all = driver.get("/api/staff");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().get("seq").asLong()).isPositive();
        ApiClient.Response drivers = driver.get("/api/staff?role=driver");
        drivers.json().get("items").forEach(s -> assertThat(s.get("role").asText()).isEqualTo("driver"));
        assertThat(drivers.text()).contains("\"lister\"");
        long id = driver.me();
        server.operator().patch("/api/staff/" + id, Map.of("active", false), null);
        assertThat(server.operator().get("/api/staff?active=false").text()).contains("\"lister\"");
        assertThat(server.operator().get("/api/staff?active=true").text()).doesNotContain("\"lister\"");
        assertThat(server.operator().get("/api/staff?role=boss").status()).isEqualTo(400);
        assertThat(server.operator().get("/api/staff?active=maybe").status()).isEqualTo(400);
    }

    @Test
    void patch_edits_fields_and_clears_optional_ones_with_null() {
        long id = server.operator().createStaff("editme", "driver");
        Map<String, Object> edit = new HashMap<>();
        edit.put("name", "Edited Name");
        edit.put("vehiclePlate", "XYZ 999");
        edit.put("phone", "+63 1");
        ApiClient.Response r = server.operator().patch("/api/staff/" + id, edit, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("name").asText()).isEqualTo("Edited Name");
        assertThat(r.json().get("vehiclePlate").asText()).isEqualTo("XYZ 999");
        Map<String, Object> clear = new HashMap<>();
        clear.put("phone", null);
        assertThat(server.operator().patch("/api/staff/" + id, clear, null).json().get("phone").isNull()).isTrue();
    }

    @Test
    void an_operator_cannot_disable_themself() {
        long me = server.operator().me();
        ApiClient.Response r = server.operator().patch("/api/staff/" + me, Map.of("active", false), null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("CANNOT_DISABLE_SELF");
        assertThat(server.operator().get("/api/me").json().get("active").asBoolean()).isTrue();
    }

    @Test
    void a_taken_username_is_409() {
        server.operator().createStaff("twice", "driver");
        ApiClient.Response r = server.operator().post("/api/staff", staff("twice", "therapist"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo("USERNAME_TAKEN");
    }

    @Test
    void invalid_staff_fields_are_named() {
        Map<String, Object> body = staff("Bad Name!", "astronaut");
        body.put("password", "short");
        ApiClient.Response r = server.operator().post("/api/staff", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("VALIDATION");
        assertThat(r.json().get("error").get("fields").fieldNames()).toIterable().contains("username", "role", "password");

        Map<String, Object> driverWithPressure = staff("drv-pressure", "driver");
        driverWithPressure.put("pressure", "hard");
        assertThat(server.operator().post("/api/staff", driverWithPressure).json().get("error").get("fields").has("pressure")).isTrue();

        Map<String, Object> badPressure = staff("thr-pressure", "therapist");
        badPressure.put("pressure", "extreme");
        assertThat(server.operator().post("/api/staff", badPressure).status()).isEqualTo(400);
    }

    @Test
    void unknown_staff_is_404() {
        assertThat(server.operator().get("/api/staff/999999").status()).isEqualTo(404);
        assertThat(server.operator().patch("/api/staff/999999", Map.of("name", "x"), null).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(server.operator().get("/api/staff/abc").status()).isEqualTo(404);
    }
}
