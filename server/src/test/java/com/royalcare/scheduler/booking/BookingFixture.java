package com.royalcare.scheduler.booking;

import com.royalcare.testkit.ApiClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Test data through the API: services, clients, slots and bookings. */
final class BookingFixture {

    private static final AtomicInteger SEQ = new AtomicInteger(100);

    private BookingFixture() {
    }

    static long service(ApiClient op, int minutes, String price) {
        ApiClient.Response r = op.post("/api/services", Map.of("name", "Massage " + SEQ.incrementAndGet(), "durationMinutes", minutes,
                "price", price));
        if (r.status() != 201) throw new IllegalStateException(r.text());
        return r.id();
    }

    static long client(ApiClient op) {
        int n = SEQ.incrementAndGet();
        ApiClient.Response r = op.post("/api/clients", Map.of("name", "Client " + n, "phone", "+63 917 " + (1_000_000 + n),
                "address", n + " Mabini St, Makati"));
        if (r.status() != 201) throw new IllegalStateException(r.text());
        return r.id();
    }

    static void slot(ApiClient op, long staffId, String date, String start, String end) {
        ApiClient.Response r = op.post("/api/availability", Map.of("staffId", staffId, "date", date, "start", start, "end", end));
        if (r.status() != 201) throw new IllegalStateException(r.text());
    }

    static ApiClient.Response book(ApiClient op, long client, long service, List<Long> therapists, Long driver, String date, String start,
                                   Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("clientId", client, "serviceIds", List.of(service), "therapistIds", therapists,
                "date", date, "start", start));
        if (driver != null) body.put("driverId", driver);
        body.putAll(extra);
        return op.post("/api/appointments", body);
    }

    static ApiClient.Response book(ApiClient op, long client, long service, long therapist, String date, String start) {
        return book(op, client, service, List.of(therapist), null, date, start, Map.of());
    }
}
