package com.royalcare.scheduler.ops;

import com.royalcare.scheduler.support.TestServer;
import com.royalcare.testkit.ApiClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The three ways /metrics is guarded (docs/SECURITY.md, "Metrics"). */
class MetricsAccessTest {

    private static final String TOKEN = "metrics-token-0123456789";

    @Test
    void with_neither_setting_only_direct_requests_from_this_machine_read_metrics() {
        try (TestServer server = TestServer.start()) {
            ApiClient anonymous = server.anonymous();
            assertThat(anonymous.get("/metrics").status()).isEqualTo(200);
            for (String header : new String[] {"X-Forwarded-For", "Forwarded", "X-Real-IP"}) {
                ApiClient.Response proxied = anonymous.raw("GET", "/metrics", new byte[0], Map.of(header, "203.0.113.9"));
                assertThat(proxied.status()).as(header).isEqualTo(404);
                assertThat(proxied.text()).doesNotContain("jvm_memory");
            }
        }
    }

    @Test
    void with_a_token_metrics_need_it_as_a_bearer_token() {
        try (TestServer server = TestServer.start(Map.of("METRICS_TOKEN", TOKEN))) {
            ApiClient anonymous = server.anonymous();
            ApiClient.Response none = anonymous.get("/metrics");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.errorCode()).isEqualTo("METRICS_TOKEN_REQUIRED");
            assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(anonymous.withToken(TOKEN + "x").get("/metrics").status()).isEqualTo(401);
            assertThat(anonymous.withToken(TOKEN.substring(1)).get("/metrics").status()).isEqualTo(401);
            assertThat(server.operator().get("/metrics").status()).as("a session is not the metrics token").isEqualTo(401);
            ApiClient.Response ok = anonymous.withToken(TOKEN).get("/metrics");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.text()).contains("jvm_memory_used_bytes");
            assertThat(anonymous.get("/health").status()).as("health stays open").isEqualTo(200);
        }
    }

    @Test
    void with_a_metrics_port_metrics_answer_there_only_and_nothing_else_does() throws IOException {
        int metricsPort = freePort();
        try (TestServer server = TestServer.start(Map.of("METRICS_PORT", Integer.toString(metricsPort)))) {
            assertThat(server.anonymous().get("/metrics").status()).isEqualTo(404);
            assertThat(server.operator().get("/metrics").status()).isEqualTo(404);
            ApiClient side = new ApiClient("http://localhost:" + metricsPort, null);
            ApiClient.Response ok = side.get("/metrics");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.text()).contains("jvm_memory_used_bytes");
            assertThat(side.get("/health").status()).isEqualTo(200);
            assertThat(side.get("/index.html").status()).isEqualTo(404);
            assertThat(side.get("/api/me").status()).isEqualTo(404);
            ApiClient.Response login = side.raw("POST", "/api/auth/login",
                    ("{\"username\":\"operator\",\"password\":\"" + TestServer.OPERATOR_PASSWORD + "\"}").getBytes(), Map.of());
            assertThat(login.status()).as("no sign-in on the metrics port").isEqualTo(404);
            assertThat(server.anonymous().get("/login.html").status()).isEqualTo(200);
        }
    }

    @Test
    void with_both_a_token_and_a_metrics_port_the_port_still_serves_nothing_but_metrics_and_health() throws IOException {
        int metricsPort = freePort();
        String token = "t".repeat(32);
        try (TestServer server = TestServer.start(Map.of("METRICS_PORT", Integer.toString(metricsPort), "METRICS_TOKEN", token))) {
            ApiClient side = new ApiClient("http://localhost:" + metricsPort, token);
            assertThat(side.get("/metrics").status()).isEqualTo(200);
            assertThat(side.get("/health").status()).isEqualTo(200);
            assertThat(side.get("/index.html").status()).isEqualTo(404);
            assertThat(side.get("/api/me").status()).isEqualTo(404);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
