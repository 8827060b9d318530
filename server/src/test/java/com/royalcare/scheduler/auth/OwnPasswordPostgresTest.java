package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.support.TestServer;
import com.royalcare.testkit.ApiClient;
import com.royalcare.testkit.Postgres;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Changing one's password on PostgreSQL, where the current password is read in a read-only transaction. */
class OwnPasswordPostgresTest {

    @Test
    void a_password_is_changed_and_a_wrong_current_one_refused_on_postgresql() {
        try (TestServer server = TestServer.start(Postgres.newDatabaseEnv())) {
            ApiClient me = server.newStaff("pgchanger", "therapist");
            ApiClient.Response wrong = me.post("/api/me/password", Map.of("currentPassword", "not-my-password", "newPassword", "pg-new-password-1"));
            assertThat(wrong.status()).as(wrong.text()).isEqualTo(403);
            ApiClient.Response r = me.post("/api/me/password", Map.of("currentPassword", ApiClient.passwordOf("pgchanger"),
                    "newPassword", "pg-new-password-1"));
            assertThat(r.status()).as(r.text()).isEqualTo(204);
            assertThat(ApiClient.signIn(server.baseUrl(), "pgchanger", "pg-new-password-1").me()).isEqualTo(me.me());
        }
    }
}
