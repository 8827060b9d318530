package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.support.SharedServer;
import com.royalcare.scheduler.support.TestServer;
import com.royalcare.testkit.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in cannot be turned against users: a flood from one address gets fast 429s while the real
 * user signs in from another; failures lock an account only from the address they came from;
 * unknown, wrong and locked usernames answer alike. Behind the (test) proxy, the client address
 * is the right-most X-Forwarded-For entry.
 */
class SignInDefenceTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer(Map.of("TRUST_PROXY", "true"));

    private static ApiClient.Response login(String from, String username, String password) {
        byte[] body = ("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}").getBytes(StandardCharsets.UTF_8);
        return server.anonymous().raw("POST", "/api/auth/login", body, Map.of("Content-Type", "application/json",
                "X-Forwarded-For", "198.51.100.7, " + from)); // the left entry is the client's own claim: never believed
    }

    @Test
    void a_flood_from_one_address_gets_fast_429s_while_the_real_user_signs_in_from_another() throws Exception {
        server.operator().createStaff("flooded", "therapist");
        String right = ApiClient.passwordOf("flooded");
        int guesses = 80;
        ExecutorService pool = Executors.newFixedThreadPool(24);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ApiClient.Response>> flood = new ArrayList<>();
            for (int i = 0; i < guesses; i++) {
                int n = i;
                flood.add(pool.submit(() -> {
                    go.await();
                    return login("203.0.113.66", "flooded", "guess-" + n);
                }));
            }
            go.countDown();
            long t0 = System.nanoTime();
            ApiClient.Response real = login("192.0.2.10", "flooded", right);
            long realMs = (System.nanoTime() - t0) / 1_000_000;
            long h0 = System.nanoTime();
            int health = server.anonymous().get("/health").status();
            long healthMs = (System.nanoTime() - h0) / 1_000_000;

            int throttled = 0;
            int checked = 0;
            for (Future<ApiClient.Response> f : flood) {
                ApiClient.Response r = f.get();
                assertThat(r.status()).as(r.text()).isIn(401, 429);
                if (r.status() == 429) {
                    throttled++;
                    assertThat(r.errorCode()).isEqualTo("TOO_MANY_ATTEMPTS");
                    assertThat(Integer.parseInt(r.header("Retry-After"))).isPositive();
                } else {
                    checked++;
                }
            }
            System.out.printf("flood of %d: %d checked, %d throttled; real sign-in from another address %d ms, /health %d ms%n",
                    guesses, checked, throttled, realMs, healthMs);
            assertThat(checked).isLessThanOrEqualTo(10); // the default burst per address
            assertThat(throttled).isGreaterThanOrEqualTo(guesses - 10);
            assertThat(real.status()).as(real.text()).isEqualTo(200);
            assertThat(health).isEqualTo(200);
            // and the guesses did not lock the real user out from where they are
            assertThat(login("192.0.2.10", "flooded", right).status()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void failures_lock_an_account_only_from_the_address_they_came_from() {
        server.operator().createStaff("targeted", "driver");
        String right = ApiClient.passwordOf("targeted");
        for (int i = 0; i < 5; i++) assertThat(login("203.0.113.20", "targeted", "wrong-" + i).status()).isEqualTo(401);
        assertThat(login("203.0.113.20", "targeted", right).status()).isEqualTo(401); // locked from there
        assertThat(login("192.0.2.20", "targeted", right).status()).isEqualTo(200); // the real user elsewhere
        // the operator still sees that the account is locked from somewhere
        com.fasterxml.jackson.databind.JsonNode listed = null;
        for (var s : server.operator().get("/api/staff").json().get("items")) if (s.get("username").asText().equals("targeted")) listed = s;
        assertThat(listed).isNotNull();
        assertThat(listed.get("lockedUntil").isNull()).isFalse();
    }

    @Test
    void unknown_wrong_and_locked_usernames_answer_the_same_status_and_body() {
        server.operator().createStaff("real-user", "therapist");
        server.operator().createStaff("locked-user", "therapist");
        String from = "203.0.113.30";
        for (int i = 0; i < 5; i++) login(from, "locked-user", "wrong-" + i);

        long t0 = System.nanoTime();
        ApiClient.Response unknown = login(from, "no-such-user", "some-password");
        long t1 = System.nanoTime();
        ApiClient.Response wrong = login(from, "real-user", "some-password");
        long t2 = System.nanoTime();
        ApiClient.Response locked = login(from, "locked-user", "some-password");
        long t3 = System.nanoTime();
        ApiClient.Response lockedRight = login(from, "locked-user", ApiClient.passwordOf("locked-user"));
        System.out.printf("unknown %d µs, wrong %d µs, locked %d µs%n", (t1 - t0) / 1000, (t2 - t1) / 1000, (t3 - t2) / 1000);

        assertThat(unknown.status()).isEqualTo(401);
        for (ApiClient.Response r : List.of(wrong, locked, lockedRight)) {
            assertThat(r.status()).isEqualTo(unknown.status());
            assertThat(r.text()).isEqualTo(unknown.text());
        }
        assertThat(unknown.errorCode()).isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void without_trust_proxy_x_forwarded_for_is_ignored_so_it_cannot_dodge_the_throttle() {
        try (TestServer direct = TestServer.start(Map.of("SIGN_IN_BURST", "3"))) {
            direct.operator().createStaff("dodger", "therapist");
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                byte[] body = ("{\"username\":\"dodger\",\"password\":\"guess-" + i + "\"}").getBytes(StandardCharsets.UTF_8);
                statuses.add(direct.anonymous().raw("POST", "/api/auth/login", body, Map.of("Content-Type", "application/json",
                        "X-Forwarded-For", "10.9.9." + i)).status());
            }
            assertThat(statuses).containsExactly(401, 401, 401, 429, 429, 429);
            // the allowance is the address's, whatever username it tries
            ApiClient.Response other = direct.anonymous().post("/api/auth/login", Map.of("username", "operator", "password",
                    TestServer.OPERATOR_PASSWORD));
            assertThat(other.status()).isEqualTo(429);
        }
    }

    @Test
    void successful_sign_ins_do_not_use_up_the_allowance() {
        try (TestServer direct = TestServer.start(Map.of("SIGN_IN_BURST", "2"))) {
            for (int i = 0; i < 10; i++) {
                assertThat(direct.anonymous().post("/api/auth/login", Map.of("username", "operator", "password",
                        TestServer.OPERATOR_PASSWORD)).status()).isEqualTo(200);
            }
        }
    }
}
