package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.support.MutableClock;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.SharedServer;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class AuthApiTest {

    /** A wide per-address allowance: these tests are about the lockout; SignInDefenceTest covers the throttle. */
    static final Map<String, String> NO_THROTTLE = Map.of("SIGN_IN_BURST", "1000");

    @RegisterExtension
    static final SharedServer server = new SharedServer(NO_THROTTLE);


    private static ApiClient.Response login(String username, String password) {
        return server.anonymous().post("/api/auth/login", Map.of("username", username, "password", password));
    }

    @Test
    void sign_in_returns_token_user_and_an_httponly_samesite_cookie() {
        ApiClient.Response r = login("operator", TestServer.OPERATOR_PASSWORD);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("token").asText()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(r.json().get("user").get("username").asText()).isEqualTo("operator");
        assertThat(r.json().get("user").get("role").asText()).isEqualTo("operator");
        assertThat(r.json().get("user").has("passwordHash")).isFalse();
        String cookie = r.header("Set-Cookie");
        assertThat(cookie).startsWith("rcs_session=" + r.json().get("token").asText()).containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Lax").doesNotContainIgnoringCase("Secure"); // plain http: a Secure cookie would never come back
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void no_api_answer_is_stored_by_a_browser_or_proxy_appointments_and_clients_included() {
        for (String path : List.of("/api/appointments?date=2030-01-01", "/api/clients?q=a", "/api/availability", "/api/services", "/api/staff")) {
            ApiClient.Response r = server.operator().get(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.header("Cache-Control")).as(path).isEqualTo("no-store");
        }
    }

    @Test
    void tokens_are_random_per_sign_in() {
        String a = login("operator", TestServer.OPERATOR_PASSWORD).json().get("token").asText();
        String b = login("operator", TestServer.OPERATOR_PASSWORD).json().get("token").asText();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void the_session_cookie_works_like_the_bearer_token() throws Exception {
        String token = login("operator", TestServer.OPERATOR_PASSWORD).json().get("token").asText();
        HttpResponse<String> me = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        java.net.URI.create(server.baseUrl() + "/api/me")).header("Cookie", "rcs_session=" + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"username\":\"operator\"");
    }

    @Test
    void every_api_call_without_a_session_is_401_with_the_error_shape() {
        for (String path : List.of("/api/me", "/api/staff", "/api/availability", "/api/sync/head")) {
            ApiClient.Response r = server.anonymous().get(path);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.errorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(r.json().get("error").get("message").asText()).isNotBlank();
        }
        assertThat(new ApiClient(server.baseUrl(), "forged-token").get("/api/me").status()).isEqualTo(401);
    }

    @Test
    void wrong_password_and_unknown_user_get_the_same_401() {
        server.newStaff("wrongpw", "therapist");
        ApiClient.Response wrong = login("wrongpw", "not-the-password");
        ApiClient.Response unknown = login("nobody-here", "whatever-pass");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(wrong.json().get("error").get("message")).isEqualTo(unknown.json().get("error").get("message"));
    }

    @Test
    void five_failed_sign_ins_in_a_row_lock_the_account_from_that_address_answering_like_a_wrong_password() {
        server.newStaff("locky", "therapist");
        ApiClient.Response first = login("locky", "bad-password-0");
        for (int i = 1; i < 5; i++) assertThat(login("locky", "bad-password-" + i).status()).isEqualTo(401);
        ApiClient.Response locked = login("locky", ApiClient.passwordOf("locky"));
        assertThat(locked.status()).isEqualTo(401);
        assertThat(locked.text()).isEqualTo(first.text());
        assertThat(locked.json().get("error").get("message").asText()).contains("15 minutes");
    }

    @Test
    void a_successful_sign_in_resets_the_failure_count() {
        server.newStaff("resetty", "driver");
        for (int i = 0; i < 4; i++) login("resetty", "bad-password");
        assertThat(login("resetty", ApiClient.passwordOf("resetty")).status()).isEqualTo(200);
        for (int i = 0; i < 4; i++) login("resetty", "bad-password");
        assertThat(login("resetty", ApiClient.passwordOf("resetty")).status()).isEqualTo(200);
    }

    @Test
    void the_lockout_holds_against_parallel_guessing() throws Exception {
        server.newStaff("parallel", "therapist");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                results.add(pool.submit(() -> login("parallel", "guess-" + n).status()));
            }
            // 429: more checks at once than this node runs and queues, refused before any check; never let through
            long unauthorized = 0;
            for (Future<Integer> f : results) {
                int status = f.get();
                assertThat(status).isIn(401, 429);
                if (status == 401) unauthorized++;
            }
            // no count was lost to a race: every checked guess up to the lockout was counted (on a slow
            // machine fewer than five may have been checked at all, the rest refused with 429)
            int counted = server.app().services().db().read(h -> h.createQuery(
                    "SELECT f.failed FROM sign_in_failures f JOIN staff s ON s.id = f.staff_id WHERE s.username = 'parallel'")
                    .mapTo(Integer.class).one());
            assertThat(unauthorized).isPositive();
            assertThat(counted).isEqualTo((int) Math.min(5, unauthorized));
            for (int i = counted; i < 5; i++) assertThat(login("parallel", "more-" + i).status()).isEqualTo(401);
            // the account is locked from here: even the right password is refused
            assertThat(login("parallel", ApiClient.passwordOf("parallel")).status()).isEqualTo(401);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void an_expired_session_is_refused() {
        MutableClock clock = new MutableClock();
        try (TestServer own = TestServer.start(Map.of("SESSION_IDLE_MINUTES", "1000"), clock)) { // longer than the lifetime
            ApiClient client = own.operator();
            assertThat(client.get("/api/me").status()).isEqualTo(200);
            clock.advance(Duration.ofHours(12).minusSeconds(1));
            assertThat(client.get("/api/me").status()).isEqualTo(200);
            clock.advance(Duration.ofSeconds(1));
            ApiClient.Response expired = client.get("/api/me");
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.errorCode()).isEqualTo("SESSION_EXPIRED");
        }
    }

    @Test
    void a_lock_ends_after_fifteen_minutes_and_the_count_starts_again() {
        MutableClock clock = new MutableClock();
        try (TestServer own = TestServer.start(NO_THROTTLE, clock)) {
            own.operator().createStaff("unlocky", "therapist");
            String right = ApiClient.passwordOf("unlocky");
            for (int i = 0; i < 5; i++) assertThat(login(own, "unlocky", "bad-password-" + i).status()).isEqualTo(401);
            assertThat(login(own, "unlocky", right).status()).isEqualTo(401);
            clock.advance(Duration.ofMinutes(15).minusSeconds(1));
            assertThat(login(own, "unlocky", right).status()).isEqualTo(401);
            clock.advance(Duration.ofSeconds(1));
            // After the lock, one wrong guess does not lock again: a fresh count of five begins.
            assertThat(login(own, "unlocky", "bad-password-again").status()).isEqualTo(401);
            assertThat(login(own, "unlocky", right).status()).isEqualTo(200);
        }
    }

    private static ApiClient.Response login(TestServer own, String username, String password) {
        return own.anonymous().post("/api/auth/login", Map.of("username", username, "password", password));
    }

    @Test
    void sign_out_ends_the_session() {
        ApiClient client = ApiClient.signIn(server.baseUrl(), "operator", TestServer.OPERATOR_PASSWORD);
        assertThat(client.get("/api/me").status()).isEqualTo(200);
        assertThat(client.post("/api/auth/logout", Map.of()).status()).isEqualTo(204);
        assertThat(client.get("/api/me").status()).isEqualTo(401);
    }

    @Test
    void a_disabled_account_cannot_sign_in_and_its_sessions_stop_at_once() {
        ApiClient therapist = server.newStaff("disabled1", "therapist");
        long id = therapist.me();
        assertThat(server.operator().patch("/api/staff/" + id, Map.of("active", false), null).status()).isEqualTo(200);
        ApiClient.Response ended = therapist.get("/api/me");
        assertThat(ended.status()).isEqualTo(401);
        assertThat(ended.errorCode()).isEqualTo("ACCOUNT_DISABLED"); // the page can say why
        ApiClient.Response r = login("disabled1", ApiClient.passwordOf("disabled1"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errorCode()).isEqualTo("ACCOUNT_DISABLED");
        server.operator().patch("/api/staff/" + id, Map.of("active", true), null);
        assertThat(therapist.get("/api/me").status()).as("re-enabling does not revive old sessions").isEqualTo(401);
        assertThat(login("disabled1", ApiClient.passwordOf("disabled1")).status()).isEqualTo(200);
    }

    @Test
    void cookie_requests_that_change_state_from_a_foreign_origin_are_refused() {
        String token = login("operator", TestServer.OPERATOR_PASSWORD).json().get("token").asText();
        String body = "{\"username\":\"csrf1\",\"name\":\"C\",\"role\":\"driver\",\"password\":\"csrf-pass-1\"}";
        ApiClient.Response foreign = server.anonymous().raw("POST", "/api/staff", body.getBytes(), Map.of(
                "Cookie", "rcs_session=" + token, "Origin", "http://evil.example", "Content-Type", "application/json"));
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(server.operator().get("/api/staff").text()).doesNotContain("csrf1");
        ApiClient.Response own = server.anonymous().raw("POST", "/api/staff", body.getBytes(), Map.of(
                "Cookie", "rcs_session=" + token, "Origin", server.baseUrl(), "Content-Type", "application/json"));
        assertThat(own.status()).isEqualTo(201);
    }
}
