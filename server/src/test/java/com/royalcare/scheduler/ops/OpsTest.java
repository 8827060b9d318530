package com.royalcare.scheduler.ops;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpsTest {

    @Test
    void health_checks_the_database_and_metrics_count_requests() {
        try (TestServer server = TestServer.start()) {
            ApiClient anonymous = server.anonymous();
            ApiClient.Response health = anonymous.get("/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().get("status").asText()).isEqualTo("UP");
            assertThat(health.json().get("database").asText()).isEqualTo("sqlite");
            assertThat(health.json().get("timeZone").asText()).isEqualTo("Asia/Manila");

            server.operator().get("/api/staff");
            ApiClient.Response metrics = anonymous.get("/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.header("Content-Type")).startsWith("text/plain");
            assertThat(metrics.text())
                    .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/api/staff\",status=\"200\"}")
                    .contains("jvm_memory_used_bytes");
        }
    }
}
