package com.royalcare.scheduler.booking;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's name, phone and address reach only operators and the people assigned to the visit: on lists,
 * by id, on the event stream and on polling. Someone taken off a visit gets one removal with the id only.
 */
class BookingPrivacyTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static final String NAME = "Sofia Secretaria";
    private static final String PHONE = "+639990001122";
    private static final String ADDRESS = "77 Hidden Lane, Quezon City";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void client_details_reach_operators_and_assignees_only_on_every_read_path() throws Exception {
        ApiClient op = server.operator();
        ApiClient anna = server.newStaff("pv-anna", "therapist");   // assigned throughout
        ApiClient dan = server.newStaff("pv-dan", "driver");        // assigned throughout
        ApiClient cara = server.newStaff("pv-cara", "therapist");   // assigned, then taken off
        ApiClient bea = server.newStaff("pv-bea", "therapist");     // never assigned
        long client = op.post("/api/clients", Map.of("name", NAME, "phone", PHONE, "address", ADDRESS)).id();
        long service = BookingFixture.service(op, 60, "800");
        long start = op.get("/api/appointments").json().get("seq").asLong();
        Map<String, CompletableFuture<String>> streams = Map.of(
                "op", stream(op, start), "anna", stream(anna, start), "dan", stream(dan, start),
                "cara", stream(cara, start), "bea", stream(bea, start));

        long id = BookingFixture.book(op, client, service, List.of(anna.me(), cara.me()), dan.me(), "2027-04-01", "10:00",
                Map.of("force", true)).id();
        assertThat(anna.post("/api/appointments/" + id + "/accept", Map.of()).status()).isEqualTo(200);
        assertThat(op.patch("/api/appointments/" + id, Map.of("therapistIds", List.of(anna.me())), null).status()).isEqualTo(200);
        long removedAt = op.get("/api/appointments").json().get("seq").asLong();
        assertThat(op.patch("/api/appointments/" + id, Map.of("notes", "After Cara left"), null).status()).isEqualTo(200);
        assertThat(dan.post("/api/appointments/" + id + "/accept", Map.of()).status()).isEqualTo(200);
        long marker = op.post("/api/sync/refresh", Map.of()).json().get("seq").asLong();
        for (var s : streams.entrySet()) marker(s.getValue(), marker, s.getKey());

        // operators and assignees: every path shows the details (so this test can fail)
        for (ApiClient who : List.of(op, anna, dan)) {
            assertThat(who.get("/api/appointments/" + id).text()).contains(NAME, PHONE, ADDRESS);
            assertThat(who.get("/api/appointments?date=2027-04-01").text()).contains(NAME, PHONE, ADDRESS);
            assertThat(poll(who, start)).contains(NAME, PHONE, ADDRESS);
        }
        assertThat(streams.get("op").get()).contains(NAME, PHONE, ADDRESS);
        assertThat(streams.get("anna").get()).contains(NAME, PHONE, ADDRESS);
        assertThat(streams.get("dan").get()).contains(NAME, PHONE, ADDRESS);

        // never assigned: nothing anywhere
        assertThat(bea.get("/api/appointments/" + id).status()).isEqualTo(404);
        assertThat(bea.get("/api/appointments/" + id + "/accept").status()).isIn(404, 405);
        assertThat(bea.post("/api/appointments/" + id + "/accept", Map.of()).status()).isEqualTo(404);
        assertThat(bea.get("/api/appointments?staffId=" + anna.me()).status()).isEqualTo(403);
        assertThat(bea.get("/api/clients?q=Sofia").status()).isEqualTo(403);
        assertThat(bea.get("/api/clients/" + client).status()).isEqualTo(403);
        for (String path : List.of("/api/appointments", "/api/appointments?date=2027-04-01", "/api/appointments?status=confirmed",
                "/api/available-staff?date=2027-04-01&start=09:00&end=12:00")) {
            assertThat(bea.get(path).text()).as(path).doesNotContain(NAME, PHONE, ADDRESS);
        }
        assertThat(bea.get("/api/appointments?date=2027-04-01").json().get("items")).isEmpty();
        assertThat(poll(bea, start)).doesNotContain(NAME, PHONE, ADDRESS).doesNotContain("appointment_");
        assertThat(streams.get("bea").get()).doesNotContain(NAME, PHONE, ADDRESS).doesNotContain("appointment_");

        // taken off: one removal with the id only, nothing after it
        assertThat(cara.get("/api/appointments/" + id).status()).isEqualTo(404);
        assertThat(cara.get("/api/appointments").json().get("items")).isEmpty();
        List<JsonNode> caraEvents = events(cara, start);
        List<JsonNode> removals = caraEvents.stream().filter(e -> e.get("type").asText().equals("appointment_removed")).toList();
        assertThat(removals).hasSize(1);
        assertThat(removals.get(0).get("data").toString()).isEqualTo("{\"id\":" + id + "}");
        assertThat(caraEvents).filteredOn(e -> e.get("seq").asLong() > removals.get(0).get("seq").asLong())
                .allMatch(e -> e.get("type").asText().equals("global_refresh"));
        assertThat(poll(cara, removedAt)).doesNotContain(NAME, PHONE, ADDRESS);
        String caraStream = streams.get("cara").get();
        assertThat(caraStream).contains("appointment_removed");
        assertThat(caraStream.substring(caraStream.indexOf("appointment_removed"))).doesNotContain(NAME, PHONE, ADDRESS, "After Cara left");
        // the removal itself goes to the people taken off, not to those still on the visit
        assertThat(events(anna, start)).noneMatch(e -> e.get("type").asText().equals("appointment_removed"));
    }

    private static List<JsonNode> events(ApiClient who, long since) {
        return StreamSupport.stream(who.get("/api/changes?since=" + since).json().get("events").spliterator(), false).toList();
    }

    private static String poll(ApiClient who, long since) {
        ApiClient.Response r = who.get("/api/changes?since=" + since);
        assertThat(r.status()).isEqualTo(200);
        return r.text();
    }

    /** A stream from {@code since}, read in the background into a buffer; {@link #marker} waits for a seq to appear. */
    private static CompletableFuture<String> stream(ApiClient who, long since) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(who.baseUrl() + "/api/events?since=" + since))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + who.token()).GET().build();
        HttpResponse<Stream<String>> response;
        try {
            response = HTTP.send(req, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(response.statusCode()).isEqualTo(200);
        StringBuffer all = new StringBuffer();
        CompletableFuture<String> text = new CompletableFuture<>();
        BUFFERS.put(text, all);
        CLOSERS.put(text, () -> response.body().close());
        Thread reader = new Thread(() -> {
            try (Stream<String> lines = response.body()) {
                lines.forEach(line -> all.append(line).append('\n'));
            } catch (RuntimeException closed) {
                // closed by marker()
            }
        }, "privacy-stream");
        reader.setDaemon(true);
        reader.start();
        return text;
    }

    private static final Map<CompletableFuture<String>, StringBuffer> BUFFERS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<CompletableFuture<String>, Runnable> CLOSERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Waits (with a deadline) until the stream has passed {@code seq}, then ends it and completes its text. */
    private static void marker(CompletableFuture<String> stream, long seq, String who) throws Exception {
        StringBuffer all = BUFFERS.get(stream);
        Instant deadline = Instant.now().plusSeconds(20);
        while (!passed(all.toString(), seq) && Instant.now().isBefore(deadline)) java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        assertThat(passed(all.toString(), seq)).as("stream of " + who + " reached seq " + seq + ": " + all).isTrue();
        CLOSERS.get(stream).run();
        stream.complete(all.toString());
    }

    private static boolean passed(String text, long seq) {
        return text.lines().filter(l -> l.startsWith("id: ")).mapToLong(l -> Long.parseLong(l.substring(4).trim())).anyMatch(id -> id >= seq);
    }
}
