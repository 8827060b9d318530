package com.royalcare.scheduler.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A write that returned 2xx survives the server being killed with SIGKILL (SQLite, WAL, synchronous=FULL). */
class DurabilityTest {

    @TempDir
    Path dataDir;

    @Test
    void acknowledged_writes_survive_kill_minus_nine() throws Exception {
        int port = freePort();
        Set<Long> acknowledged = new HashSet<>();
        Process node = start(port);
        try {
            String base = "http://localhost:" + port;
            awaitHealthy(base);
            ApiClient operator = ApiClient.signIn(base, "operator", TestServer.OPERATOR_PASSWORD);
            operator.createStaff("durable", "therapist");
            ApiClient therapist = ApiClient.signIn(base, "durable", ApiClient.passwordOf("durable"));
            for (int i = 0; i < 30; i++) {
                String start = String.format("%02d:00", i % 24);
                String end = String.format("%02d:30", i % 24);
                ApiClient.Response r = therapist.post("/api/availability", Map.of("date", "2026-12-" + (10 + i / 24),
                        "start", start, "end", end));
                assertThat(r.status()).isEqualTo(201);
                acknowledged.add(r.id());
            }
        } finally {
            node.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no clean close
        }
        try (TestServer restarted = TestServer.restart(dataDir, 0, Map.of())) {
            ApiClient therapist = ApiClient.signIn(restarted.baseUrl(), "durable", ApiClient.passwordOf("durable"));
            Set<Long> found = new HashSet<>();
            for (JsonNode s : therapist.get("/api/availability").json().get("items")) found.add(s.get("id").asLong());
            assertThat(found).containsExactlyInAnyOrderElementsOf(acknowledged);
        }
    }

    private Process start(int port) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "com.royalcare.scheduler.Main")
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile());
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("DATA_DIR", dataDir.toString());
        pb.environment().put("INITIAL_OPERATOR_PASSWORD", TestServer.OPERATOR_PASSWORD);
        pb.environment().put("PASSWORD_COST", "4");
        pb.environment().remove("DATABASE_URL");
        return pb.start();
    }

    private static void awaitHealthy(String base) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            try {
                if (new ApiClient(base, null).get("/health").status() == 200) return;
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(50); // polling with a deadline, not waiting a fixed time
        }
        throw new AssertionError("server did not become healthy at " + base);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
