package com.royalcare.scheduler.booking;

import com.royalcare.scheduler.idempotency.IdempotencyKeys;
import com.royalcare.scheduler.support.SharedServer;
import com.royalcare.scheduler.web.Json;
import com.royalcare.testkit.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Creates of services, clients and appointments accept an Idempotency-Key: a retry gets the first answer and creates nothing. */
class BookingIdempotencyTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static ApiClient.Response post(ApiClient c, String path, Object body, String key) throws Exception {
        return c.raw("POST", path, Json.MAPPER.writeValueAsBytes(body), Map.of(IdempotencyKeys.HEADER, key));
    }

    @Test
    void retried_creates_are_replayed_not_repeated() throws Exception {
        ApiClient op = server.operator();
        Map<String, Object> svc = Map.of("name", "Idem massage", "durationMinutes", 60, "price", "700.00");
        ApiClient.Response s1 = post(op, "/api/services", svc, "svc-1");
        ApiClient.Response s2 = post(op, "/api/services", svc, "svc-1");
        assertThat(s1.status()).isEqualTo(201);
        assertThat(s2.status()).isEqualTo(201);
        assertThat(s2.id()).isEqualTo(s1.id());
        assertThat(s2.header(IdempotencyKeys.REPLAYED_HEADER)).isEqualTo("true");

        Map<String, Object> cl = Map.of("name", "Idem Client", "phone", "+63 917 555 0101");
        ApiClient.Response c1 = post(op, "/api/clients", cl, "client-1");
        ApiClient.Response c2 = post(op, "/api/clients", cl, "client-1");
        assertThat(c1.status()).isEqualTo(201);
        assertThat(c2.id()).isEqualTo(c1.id());
        assertThat(c2.header(IdempotencyKeys.REPLAYED_HEADER)).isEqualTo("true");

        ApiClient therapist = server.newStaff("idem-therapist", "therapist");
        long tid = therapist.me();
        BookingFixture.slot(op, tid, "2026-12-20", "09:00", "17:00");
        Map<String, Object> visit = Map.of("clientId", c1.id(), "serviceIds", List.of(s1.id()), "therapistIds", List.of(tid),
                "date", "2026-12-20", "start", "10:00");
        ApiClient.Response a1 = post(op, "/api/appointments", visit, "visit-1");
        ApiClient.Response a2 = post(op, "/api/appointments", visit, "visit-1");
        assertThat(a1.status()).as(a1.text()).isEqualTo(201);
        assertThat(a2.status()).isEqualTo(201);
        assertThat(a2.id()).isEqualTo(a1.id());
        assertThat(a2.header("ETag")).isEqualTo(a1.header("ETag"));
        assertThat(a2.header(IdempotencyKeys.REPLAYED_HEADER)).isEqualTo("true");
        assertThat(op.get("/api/appointments?staffId=" + tid + "&date=2026-12-20").json().get("items")).hasSize(1);

        // a refusal keeps nothing for the key: the same key works once the request is fixed
        ApiClient.Response refused = post(op, "/api/clients", Map.of("name", "Dup", "phone", "+63 917 555 0101"), "client-2");
        assertThat(refused.errorCode()).isEqualTo("DUPLICATE_CLIENT");
    }
}
