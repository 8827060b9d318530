package com.royalcare.scheduler.sync;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A stopping node finishes what it started, refuses what is new with 503 + Retry-After, and tells its streams. */
class GracefulStopTest {

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.onSpinWait();
        }
    }

    @Test
    void a_stop_finishes_the_request_in_flight_refuses_new_ones_with_503_and_closes_streams_with_shutdown() throws Exception {
        // A slow password hash keeps a staff create in flight for a while (bcrypt cost 13: about half a second here).
        TestServer server = TestServer.start(Map.of("PASSWORD_COST", "13"));
        ApiClient op = server.operator();
        EventStreamClient stream = EventStreamClient.open(server.baseUrl(), op.token(), "/api/events", null);
        assertThat(stream.status()).isEqualTo(200);
        stream.next(); // open: it is not waited for (sync ends it), so nothing is in flight yet
        assertThat(server.app().graceful().inFlight()).isZero();

        CompletableFuture<ApiClient.Response> create = CompletableFuture.supplyAsync(() -> op.post("/api/staff",
                Map.of("username", "stop-anna", "name", "Stop Anna", "role", "therapist", "password", "long-enough-1")));
        await("the create to be in flight", () -> server.app().graceful().inFlight() == 1);
        CompletableFuture<Void> stop = CompletableFuture.runAsync(server::close);
        await("the stop to begin", () -> server.app().graceful().stopping());

        // a new request, on a fresh connection, while the create is still running
        HttpResponse<String> refused = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/staff"))
                        .header("Authorization", "Bearer " + op.token()).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(create).as("the create must still be running when the new request is refused").isNotDone();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(refused.body()).contains("\"code\":\"SHUTTING_DOWN\"");

        // the open stream is told why it ends
        EventStreamClient.Frame closed = stream.nextEvent();
        assertThat(closed.event()).isEqualTo("closed");
        assertThat(closed.data()).isEqualTo("{\"reason\":\"shutdown\"}");

        // the request in flight finishes with its real answer, and the stop waits for it
        ApiClient.Response created = create.get(30, TimeUnit.SECONDS);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        stop.get(30, TimeUnit.SECONDS);
        assertThat(server.app().graceful().inFlight()).isZero();
    }
}
