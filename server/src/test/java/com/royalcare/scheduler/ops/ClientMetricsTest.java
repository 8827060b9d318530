package com.royalcare.scheduler.ops;

import com.royalcare.scheduler.support.SharedServer;
import com.royalcare.testkit.ApiClient;
import com.royalcare.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pages' delivery reports (POST /api/client-metrics) become bounded meters on /metrics. */
class ClientMetricsTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void a_batch_becomes_a_delivery_histogram_and_counters_by_page() {
        ApiClient therapist = server.newStaff("reporter", "therapist");
        ApiClient.Response r = therapist.post(ClientMetricsHandler.PATH,
                Map.of("page", "availability", "delivery", List.of(0.03, 0.2, 0.7), "reconnects", 2, "pollFallbacks", 1));
        assertThat(r.status()).as(r.text()).isEqualTo(204);

        String text = server.anonymous().get("/metrics").text();
        assertThat(text)
                .contains("rcs_client_delivery_seconds_count{page=\"availability\"} 3")
                .contains("rcs_client_delivery_seconds_bucket{page=\"availability\",le=\"0.05\"} 1")
                .contains("rcs_client_delivery_seconds_bucket{page=\"availability\",le=\"0.25\"} 2")
                .contains("rcs_client_delivery_seconds_bucket{page=\"availability\",le=\"1.0\"} 3")
                .contains("rcs_client_reconnects_total{page=\"availability\"} 2.0")
                .contains("rcs_client_poll_fallbacks_total{page=\"availability\"} 1.0");
    }

    @Test
    void values_are_clamped_and_labels_stay_bounded() {
        ApiClient driver = server.newStaff("skewed", "driver");
        assertThat(driver.post(ClientMetricsHandler.PATH, Map.of("page", "evil\"} 1e9", "delivery", List.of(-5, 1e12), "reconnects", 1_000_000))
                .status()).isEqualTo(204);
        PrometheusScrape m = PrometheusScrape.parse(server.anonymous().get("/metrics").text());
        String text = server.anonymous().get("/metrics").text();
        assertThat(text).doesNotContain("evil").contains("rcs_client_delivery_seconds_count{page=\"other\"} 2");
        assertThat(m.sum("rcs_client_delivery_seconds_sum")).isLessThanOrEqualTo(ClientMetricsHandler.DELIVERY_MAX.toSeconds() + 5);
        assertThat(text).contains("rcs_client_reconnects_total{page=\"other\"} " + (double) ClientMetricsHandler.MAX_COUNT);
    }

    @Test
    void malformed_or_oversized_batches_are_400_and_count_nothing() {
        ApiClient therapist = server.newStaff("sloppy", "therapist");
        List<Double> tooMany = java.util.Collections.nCopies(ClientMetricsHandler.MAX_ITEMS + 1, 0.1);
        for (Object body : List.of(Map.of("page", "board", "delivery", tooMany), Map.of("page", "board", "delivery", List.of("fast")),
                Map.of("page", "board", "reconnects", -1), Map.of("page", "board", "pollFallbacks", 1.5),
                Map.of("page", "board", "extra", 1))) {
            ApiClient.Response r = therapist.post(ClientMetricsHandler.PATH, body);
            assertThat(r.status()).as(r.text()).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("VALIDATION");
        }
        assertThat(server.anonymous().get("/metrics").text()).contains("rcs_client_delivery_seconds_count{page=\"board\"} 0");
    }

    @Test
    void signed_out_reports_are_refused() {
        ApiClient.Response r = server.anonymous().raw("POST", ClientMetricsHandler.PATH,
                "{\"page\":\"board\",\"delivery\":[0.1]}".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
        assertThat(r.status()).isEqualTo(401);
    }
}
