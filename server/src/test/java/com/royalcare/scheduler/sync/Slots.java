package com.royalcare.scheduler.sync;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestClocks;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Availability writes for sync tests: every call gets its own non-overlapping hour. */
final class Slots {

    static final LocalDate BASE = LocalDate.of(2030, 1, 1);
    /** A server clock a little before {@link #BASE}, so therapists may write there (no past, at most a year ahead). */
    static final java.time.Clock CLOCK = TestClocks.startingAt(BASE.minusDays(10));
    private static final AtomicInteger NEXT = new AtomicInteger();

    private Slots() {
    }

    /** Creates a slot for {@code staffId} on a fresh hour and returns its id. */
    static long create(ApiClient client, long staffId) {
        int i = NEXT.getAndIncrement();
        return create(client, staffId, BASE.plusDays(i / 20), i % 20);
    }

    static long create(ApiClient client, long staffId, LocalDate date, int hour) {
        ApiClient.Response r = client.post("/api/availability", Map.of("staffId", staffId, "date", date.toString(),
                "start", String.format("%02d:00", hour), "end", String.format("%02d:30", hour)));
        if (r.status() != 201) throw new IllegalStateException("create slot failed: " + r.status() + " " + r.text());
        return r.id();
    }

    static void patch(ApiClient client, long slotId, Map<String, Object> fields) {
        ApiClient.Response r = client.patch("/api/availability/" + slotId, fields, null);
        if (r.status() != 200) throw new IllegalStateException("patch slot failed: " + r.status() + " " + r.text());
    }

    /** Appends a global refresh through the API; returns its seq. */
    static long refresh(ApiClient client, Map<String, Object> body) {
        ApiClient.Response r = client.post("/api/sync/refresh", body);
        if (r.status() != 200) throw new IllegalStateException("refresh failed: " + r.status() + " " + r.text());
        return r.json().get("seq").asLong();
    }

    static long refresh(ApiClient client) {
        return refresh(client, Map.of());
    }

    static long head(ApiClient client) {
        return client.get("/api/sync/head").json().get("seq").asLong();
    }
}
