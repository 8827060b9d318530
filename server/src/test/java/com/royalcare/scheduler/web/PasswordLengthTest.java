package com.royalcare.scheduler.web;

import com.royalcare.scheduler.support.SharedServer;
import com.royalcare.testkit.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bcrypt reads 72 bytes: a longer password is a 400 naming the field, never a 500 and never
 * silently cut. 40 "é" are 40 characters but 80 bytes in UTF-8 (the outside test's case).
 * Needs auth/AuthHandler.login and staff/StaffHandler.password to read passwords through
 * {@link JsonBody#requiredPassword}.
 */
class PasswordLengthTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static final String LONG = "é".repeat(40);
    private static final String EXACTLY_72_BYTES = "é".repeat(36);

    @Test
    void sign_in_with_a_password_over_72_bytes_is_400() {
        ApiClient.Response r = server.anonymous().post("/api/auth/login", Map.of("username", "operator", "password", LONG));
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().get("error").get("fields").has("password")).isTrue();
    }

    @Test
    void creating_or_resetting_with_a_password_over_72_bytes_is_400_and_72_bytes_work() {
        ApiClient op = server.operator();
        ApiClient.Response create = op.post("/api/staff", Map.of("username", "longpass", "password", LONG, "name", "Long Pass", "role", "therapist"));
        assertThat(create.status()).as(create.text()).isEqualTo(400);
        assertThat(create.json().get("error").get("fields").has("password")).isTrue();

        ApiClient.Response ok = op.post("/api/staff", Map.of("username", "longpass", "password", EXACTLY_72_BYTES, "name", "Long Pass", "role", "therapist"));
        assertThat(ok.status()).as(ok.text()).isEqualTo(201);
        assertThat(ApiClient.signIn(server.baseUrl(), "longpass", EXACTLY_72_BYTES).token()).isNotBlank();

        ApiClient.Response reset = op.patch("/api/staff/" + ok.id(), Map.of("password", LONG), ok.header("ETag"));
        assertThat(reset.status()).as(reset.text()).isEqualTo(400);
    }
}
