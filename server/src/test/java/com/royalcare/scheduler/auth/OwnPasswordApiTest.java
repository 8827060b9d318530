package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.support.SharedServer;
import com.royalcare.testkit.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/me/password: the current password is required; the other sessions and their streams end, this one stays. */
class OwnPasswordApiTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void changing_ones_password_ends_the_other_sessions_and_their_streams_and_keeps_this_one() throws Exception {
        ApiClient here = server.newStaff("changer", "therapist");
        ApiClient elsewhere = ApiClient.signIn(server.baseUrl(), "changer", ApiClient.passwordOf("changer"));
        try (SessionLifetimeTest.Lines stream = SessionLifetimeTest.Lines.open(server.baseUrl() + "/api/events", elsewhere.token())) {
            stream.awaitLine(l -> l.startsWith("event: hello"));
            ApiClient.Response r = here.post("/api/me/password", Map.of("currentPassword", ApiClient.passwordOf("changer"),
                    "newPassword", "my-new-password-1"));
            assertThat(r.status()).as(r.text()).isEqualTo(204);
            assertThat(stream.awaitLine(l -> l.startsWith("event: closed"))).isEqualTo("event: closed");
        }
        assertThat(here.get("/api/me").status()).isEqualTo(200);
        ApiClient.Response other = elsewhere.get("/api/me");
        assertThat(other.status()).isEqualTo(401);
        assertThat(other.json().get("error").get("message").asText()).contains("password was changed");
        assertThat(ApiClient.signIn(server.baseUrl(), "changer", "my-new-password-1").me()).isEqualTo(here.me());
        assertThat(server.anonymous().post("/api/auth/login", Map.of("username", "changer", "password",
                ApiClient.passwordOf("changer"))).status()).isEqualTo(401);
    }

    @Test
    void a_wrong_current_password_changes_nothing_and_says_so() {
        ApiClient me = server.newStaff("forgetful", "driver");
        ApiClient.Response r = me.post("/api/me/password", Map.of("currentPassword", "not-my-password", "newPassword", "whatever-new-1"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errorCode()).isEqualTo("WRONG_PASSWORD");
        assertThat(r.json().get("error").get("fields").has("currentPassword")).isTrue();
        assertThat(me.get("/api/me").status()).isEqualTo(200);
        assertThat(ApiClient.signIn(server.baseUrl(), "forgetful", ApiClient.passwordOf("forgetful")).me()).isEqualTo(me.me());
    }

    @Test
    void the_new_password_follows_the_password_rule_and_the_current_is_required() {
        ApiClient me = server.newStaff("ruled", "therapist");
        ApiClient.Response tooShort = me.post("/api/me/password", Map.of("currentPassword", ApiClient.passwordOf("ruled"), "newPassword", "short"));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.json().get("error").get("fields").has("newPassword")).isTrue();
        ApiClient.Response missing = me.post("/api/me/password", Map.of("newPassword", "long-enough-1"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error").get("fields").has("currentPassword")).isTrue();
        assertThat(tooShort.header("Cache-Control")).isEqualTo("no-store");
    }
}
