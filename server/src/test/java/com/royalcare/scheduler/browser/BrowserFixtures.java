package com.royalcare.scheduler.browser;

import com.royalcare.testkit.PrometheusScrape;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;

import java.util.Map;

/** Small helpers the browser tests share: server-side facts to compare the pages against. */
final class BrowserFixtures {

    /** A date far from today, so demo data and "today" never interfere. */
    static final String DAY = "2030-03-12";
    static final String NEXT_DAY = "2030-03-13";
    static final String PREVIOUS_DAY = "2030-03-11";

    private BrowserFixtures() {
    }

    /** The server's {@code rcs_sync_streams_open} gauge, or -1 when /metrics does not show it. */
    static int streamsOpen(TestServer server) {
        PrometheusScrape metrics = PrometheusScrape.parse(server.anonymous().get("/metrics").text());
        return metrics.has("rcs_sync_streams_open") ? (int) metrics.sum("rcs_sync_streams_open") : -1;
    }

    static long createSlot(ApiClient client, String date, String start, String end, boolean available) {
        ApiClient.Response r = client.post("/api/availability",
                Map.of("date", date, "start", start, "end", end, "available", available));
        if (r.status() != 201) throw new IllegalStateException("create slot failed: " + r.status() + " " + r.text());
        return r.id();
    }

    static void toggleSlot(ApiClient client, long id) {
        ApiClient.Response slot = client.get("/api/availability/" + id);
        boolean available = slot.json().get("available").asBoolean();
        ApiClient.Response r = client.patch("/api/availability/" + id, Map.of("available", !available), null);
        if (r.status() != 200) throw new IllegalStateException("toggle failed: " + r.status() + " " + r.text());
    }

    static void deleteSlot(ApiClient client, long id) {
        ApiClient.Response r = client.delete("/api/availability/" + id, null);
        if (r.status() != 204) throw new IllegalStateException("delete failed: " + r.status() + " " + r.text());
    }
}
