package com.royalcare.scheduler.idempotency;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import com.royalcare.scheduler.web.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retries of creates with an Idempotency-Key, against real servers. Subclasses run it on one SQLite
 * node and on two PostgreSQL nodes sharing a database (requests alternate between the nodes).
 */
abstract class IdempotencyContract {

    /** Therapists may write at most a year ahead: a date a month from today is always writable. */
    private static final String DAY = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Manila")).plusDays(30).toString();


    private List<TestServer> nodes;

    /** One or more started nodes on one database. */
    abstract List<TestServer> startNodes();

    @BeforeEach
    void start() {
        nodes = startNodes();
    }

    @AfterEach
    void stop() {
        nodes.forEach(TestServer::close);
    }

    private ApiClient on(int node, ApiClient client) {
        return new ApiClient(nodes.get(node % nodes.size()).baseUrl(), client.token());
    }

    private static ApiClient.Response post(ApiClient c, String path, Object body, String key) {
        byte[] bytes = (body instanceof String s ? s : Json.write(body)).getBytes(StandardCharsets.UTF_8);
        return c.raw("POST", path, bytes, key == null ? Map.of() : Map.of(IdempotencyKeys.HEADER, key));
    }

    private static Map<String, Object> slot(long staffId, int hour) {
        return Map.of("staffId", staffId, "date", DAY, "start", String.format("%02d:00", hour),
                "end", String.format("%02d:00", hour + 1));
    }

    private int slotCount(ApiClient op, long staffId) {
        return op.get("/api/availability?staffId=" + staffId + "&date=" + DAY).json().get("items").size();
    }

    private int changesOfType(ApiClient op, String type) {
        int n = 0;
        for (var e : op.get("/api/changes?since=0").json().get("events")) if (e.get("type").asText().equals(type)) n++;
        return n;
    }

    @Test
    void a_retried_create_with_the_same_key_gets_the_first_answer_and_stores_one_slot() {
        ApiClient op = nodes.get(0).operator();
        long anna = op.createStaff("idem-anna", "therapist");
        String key = UUID.randomUUID().toString();

        ApiClient.Response first = post(on(0, op), "/api/availability", slot(anna, 9), key);
        ApiClient.Response retry = post(on(1, op), "/api/availability", slot(anna, 9), key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header(IdempotencyKeys.REPLAYED_HEADER)).isNull();
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.text()).isEqualTo(first.text());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location")).isEqualTo("/api/availability/" + first.id());
        assertThat(retry.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(retry.header(IdempotencyKeys.REPLAYED_HEADER)).isEqualTo("true");
        assertThat(slotCount(op, anna)).isEqualTo(1);
        assertThat(changesOfType(op, "availability_created")).isEqualTo(1);
        // without a key the same request is a new create, refused by the overlap rule
        assertThat(post(on(1, op), "/api/availability", slot(anna, 9), null).errorCode()).isEqualTo("OVERLAP");
    }

    @Test
    void the_same_json_in_another_key_order_is_the_same_request() {
        ApiClient op = nodes.get(0).operator();
        long anna = op.createStaff("idem-order", "therapist");
        String key = UUID.randomUUID().toString();
        ApiClient.Response first = post(on(0, op), "/api/availability",
                "{\"staffId\":" + anna + ",\"date\":\"" + DAY + "\",\"start\":\"10:00\",\"end\":\"11:00\"}", key);
        ApiClient.Response retry = post(on(1, op), "/api/availability",
                "{ \"end\": \"11:00\", \"start\": \"10:00\", \"date\": \"" + DAY + "\", \"staffId\": " + anna + " }", key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.id()).isEqualTo(first.id());
    }

    @Test
    void the_same_key_with_a_different_body_is_refused_with_422_and_stores_nothing() {
        ApiClient op = nodes.get(0).operator();
        long anna = op.createStaff("idem-reuse", "therapist");
        String key = UUID.randomUUID().toString();
        assertThat(post(on(0, op), "/api/availability", slot(anna, 9), key).status()).isEqualTo(201);

        ApiClient.Response other = post(on(1, op), "/api/availability", slot(anna, 14), key);

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.errorCode()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(slotCount(op, anna)).isEqualTo(1);
        // and the same key on another endpoint is another request too
        assertThat(post(on(0, op), "/api/staff", Map.of("username", "idem-x", "name", "X", "role", "driver",
                "password", "long-enough-1"), key).errorCode()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void keys_belong_to_one_account() {
        ApiClient op = nodes.get(0).operator();
        ApiClient anna = nodes.get(0).newStaff("idem-own-a", "therapist");
        ApiClient bea = nodes.get(0).newStaff("idem-own-b", "therapist");
        String key = "shared-key-1";
        ApiClient.Response a = post(on(0, anna), "/api/availability", Map.of("date", DAY, "start", "09:00", "end", "10:00"), key);
        ApiClient.Response b = post(on(1, bea), "/api/availability", Map.of("date", DAY, "start", "09:00", "end", "10:00"), key);
        assertThat(a.status()).isEqualTo(201);
        assertThat(b.status()).isEqualTo(201);
        assertThat(b.id()).isNotEqualTo(a.id());
        assertThat(b.header(IdempotencyKeys.REPLAYED_HEADER)).isNull();
        assertThat(slotCount(op, anna.me()) + slotCount(op, bea.me())).isEqualTo(2);
    }

    @Test
    void a_retried_staff_create_gets_the_first_answer_not_username_taken() {
        ApiClient op = nodes.get(0).operator();
        Map<String, Object> body = Map.of("username", "idem-staff", "name", "Idem Staff", "role", "driver", "password", "long-enough-1");
        String key = UUID.randomUUID().toString();
        ApiClient.Response first = post(on(0, op), "/api/staff", body, key);
        ApiClient.Response retry = post(on(1, op), "/api/staff", body, key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.text()).isEqualTo(first.text());
        assertThat(retry.header("Location")).isEqualTo("/api/staff/" + first.id());
        assertThat(post(on(0, op), "/api/staff", body, null).errorCode()).isEqualTo("USERNAME_TAKEN");
    }

    @Test
    void an_error_answer_is_not_stored_so_a_retry_runs_again() {
        ApiClient op = nodes.get(0).operator();
        long anna = op.createStaff("idem-err", "therapist");
        String key = UUID.randomUUID().toString();
        long blocker = post(on(0, op), "/api/availability", slot(anna, 9), null).id();
        assertThat(post(on(0, op), "/api/availability", slot(anna, 9), key).errorCode()).isEqualTo("OVERLAP");
        assertThat(op.delete("/api/availability/" + blocker, null).status()).isEqualTo(204);

        ApiClient.Response retry = post(on(1, op), "/api/availability", slot(anna, 9), key);

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header(IdempotencyKeys.REPLAYED_HEADER)).isNull();
        assertThat(slotCount(op, anna)).isEqualTo(1);
    }

    @Test
    void a_malformed_key_is_a_400() {
        ApiClient op = nodes.get(0).operator();
        long anna = op.createStaff("idem-bad", "therapist");
        ApiClient.Response r = post(op, "/api/availability", slot(anna, 9), "has space");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("fields").has(IdempotencyKeys.HEADER)).isTrue();
        assertThat(post(op, "/api/availability", slot(anna, 9), "x".repeat(256)).status()).isEqualTo(400);
        assertThat(slotCount(op, anna)).isZero();
    }

    @Test
    void concurrent_duplicates_in_flight_create_one_slot_and_all_get_its_answer() throws Exception {
        ApiClient op = nodes.get(0).operator();
        long anna = op.createStaff("idem-race", "therapist");
        String key = UUID.randomUUID().toString();
        int n = 24;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<ApiClient.Response>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ApiClient c = on(i, op);
                answers.add(pool.submit(() -> post(c, "/api/availability", slot(anna, 9), key)));
            }
            List<Long> ids = new ArrayList<>();
            for (Future<ApiClient.Response> f : answers) {
                ApiClient.Response r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.status()).as(r.text()).isEqualTo(201);
                ids.add(r.id());
            }
            assertThat(ids).containsOnly(ids.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(slotCount(op, anna)).isEqualTo(1);
        assertThat(changesOfType(op, "availability_created")).isEqualTo(1);
    }
}
