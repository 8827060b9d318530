package com.royalcare.loadtest.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.testkit.PrometheusScrape;
import com.royalcare.testkit.SseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Our server (docs/API.md): signs in as an operator, creates therapists as channels, writes
 * availability slots and streams {@code /api/events}. Each staff member has a few fixed,
 * non-overlapping slot positions that cycle create → update → delete, so every write succeeds
 * and the three change types are exercised equally. The key that ties an event to its write is
 * a unique {@code note} (created/updated) or the slot id (deleted); it is known before the
 * request leaves, so an event that beats the HTTP response is still matched.
 */
final class RoyalCareTarget implements Target {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String username;
    private final String password;
    private final int positionsPerStaff;
    private final HttpClient http;
    private final String runTag;
    private final AtomicLong keySeq = new AtomicLong();
    private final LocalDate slotDate = LocalDate.now(ZoneOffset.UTC).plusDays(30);
    private final LocalDate markerBaseDate = slotDate.plusDays(1);

    private volatile String token;
    private String[] staffIds = new String[0];
    private JsonNode[] staffIdNodes = new JsonNode[0];
    private Position[][] positions;
    private AtomicInteger[] cursor;
    private AtomicInteger[] markerRound;

    /** One slot window of one staff member, cycling through create → update → delete. */
    private static final class Position {
        final String start;
        final String end;
        volatile boolean busy;
        volatile String slotId; // null when no slot exists
        volatile boolean updated;

        Position(String start, String end) {
            this.start = start;
            this.end = end;
        }
    }

    RoyalCareTarget(String baseUrl, String username, String password, int positionsPerStaff) throws Exception {
        this.baseUrl = baseUrl;
        this.username = username;
        this.password = password;
        this.positionsPerStaff = positionsPerStaff;
        this.runTag = Long.toString(new SecureRandom().nextLong() >>> 24, 36);
        this.http = Target.publisher("bench-writes");
    }

    @Override
    public String name() {
        return "royal-care-scheduler";
    }

    @Override
    public void setup(int channels) throws Exception {
        ApiClient api = new ApiClient(baseUrl, null).withTimeout(Duration.ofSeconds(60)).signIn(username, password);
        token = api.token();
        staffIds = new String[channels];
        staffIdNodes = new JsonNode[channels];
        positions = new Position[channels][positionsPerStaff];
        cursor = new AtomicInteger[channels];
        markerRound = new AtomicInteger[channels];
        String staffPassword = "Bench-" + runTag + "-" + Long.toString(new SecureRandom().nextLong() >>> 1, 36);
        // a few at a time: creating an account hashes its password, which is slow on purpose
        List<CompletableFuture<Void>> batch = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            int index = i;
            ObjectNode staff = JSON.createObjectNode()
                    .put("username", "b" + runTag + "t" + i)
                    .put("name", "Bench Therapist " + runTag + " " + i)
                    .put("role", "therapist")
                    .put("pressure", "moderate")
                    .put("password", staffPassword);
            batch.add(CompletableFuture.runAsync(() -> {
                ApiClient.Response r = api.post("/api/staff", staff);
                if (r.status() != 201) {
                    throw new IllegalStateException("creating staff " + index + " failed: " + r);
                }
                JsonNode id = r.json().path("id");
                staffIdNodes[index] = id;
                staffIds[index] = id.asText();
            }));
            if (batch.size() == 4 || i == channels - 1) {
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
                batch.clear();
            }
        }
        for (int c = 0; c < channels; c++) {
            cursor[c] = new AtomicInteger();
            markerRound[c] = new AtomicInteger();
            for (int p = 0; p < positionsPerStaff; p++) {
                int hour = 6 + p; // 06:00-06:45, 07:00-07:45, ... never overlapping, never overnight
                positions[c][p] = new Position(String.format(Locale.ROOT, "%02d:00", hour),
                        String.format(Locale.ROOT, "%02d:45", hour));
            }
        }
    }

    @Override
    public StreamSpec streamSpec(int channel, String lastEventId) {
        String uri = baseUrl + "/api/events";
        if (channel >= 0) {
            uri += "?staffId=" + URLEncoder.encode(staffIds[channel], StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/event-stream");
        headers.put("Authorization", "Bearer " + token);
        if (lastEventId != null && !lastEventId.isEmpty()) {
            headers.put("Last-Event-ID", lastEventId);
        }
        return new StreamSpec(URI.create(uri), headers);
    }

    @Override
    public boolean write(int channel, boolean measured, boolean marker, Ledger ledger) {
        if (marker) {
            writeMarker(channel, ledger);
            return true;
        }
        Position[] own = positions[channel];
        for (int tries = 0; tries < own.length; tries++) {
            Position p = own[Math.floorMod(cursor[channel].getAndIncrement(), own.length)];
            if (p.busy) {
                continue;
            }
            p.busy = true;
            String id = p.slotId;
            if (id == null) {
                create(channel, p, measured, ledger);
            } else if (!p.updated) {
                update(channel, p, id, measured, ledger);
            } else {
                delete(channel, p, id, measured, ledger);
            }
            return true;
        }
        return false;
    }

    private String nextKey(String prefix) {
        return prefix + runTag + "-" + keySeq.incrementAndGet();
    }

    private void create(int channel, Position p, boolean measured, Ledger ledger) {
        String key = nextKey("bk");
        ObjectNode body = JSON.createObjectNode().<ObjectNode>set("staffId", staffIdNodes[channel]).put("date", slotDate.toString())
                .put("start", p.start).put("end", p.end).put("note", key);
        send(HttpMethod.POST, "/api/availability", body, key, channel, measured, false, ledger, (status, json) -> {
            if (status == 201 && json != null) {
                p.slotId = json.path("id").asText();
                p.updated = false;
            }
            release(p, status);
        });
    }

    private void update(int channel, Position p, String id, boolean measured, Ledger ledger) {
        String key = nextKey("bk");
        ObjectNode body = JSON.createObjectNode().put("note", key);
        send(HttpMethod.PATCH, "/api/availability/" + id, body, key, channel, measured, false, ledger,
                (status, json) -> {
                    if (status == 200) {
                        p.updated = true;
                    } else if (status == 404) {
                        p.slotId = null;
                    }
                    release(p, status);
                });
    }

    private void delete(int channel, Position p, String id, boolean measured, Ledger ledger) {
        send(HttpMethod.DELETE, "/api/availability/" + id, null, "d:" + id, channel, measured, false, ledger,
                (status, json) -> {
                    if (status == 204 || status == 404) {
                        p.slotId = null;
                    }
                    release(p, status);
                });
    }

    /**
     * Frees a position for its next write, unless the outcome of this one is unknown (no answer,
     * or a server error): it may or may not have committed, so the position's state is no longer
     * known and a retry could reuse a delete's key or overlap. Such a position is retired.
     */
    private static void release(Position p, int status) {
        if (status >= 200 && status < 500) {
            p.busy = false;
        }
    }

    /** A marker is a slot on a date of its own, never touched again: it only proves streams are live. */
    private void writeMarker(int channel, Ledger ledger) {
        String key = nextKey("mk");
        LocalDate date = markerBaseDate.plusDays(markerRound[channel].getAndIncrement());
        ObjectNode body = JSON.createObjectNode().<ObjectNode>set("staffId", staffIdNodes[channel]).put("date", date.toString())
                .put("start", "20:00").put("end", "21:00").put("note", key);
        send(HttpMethod.POST, "/api/availability", body, key, channel, false, true, ledger, (status, json) -> {
        });
    }

    private interface Done {
        void accept(int status, JsonNode json);
    }

    private void send(HttpMethod method, String path, JsonNode body, String key, int channel, boolean measured,
                      boolean marker, Ledger ledger, Done done) {
        Request request = http.newRequest(baseUrl + path).method(method).timeout(30, TimeUnit.SECONDS)
                .headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token));
        if (body != null) {
            try {
                request.body(new StringRequestContent("application/json", JSON.writeValueAsString(body)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Ledger.Write w = ledger.begin(key, channel, measured, marker);
        new CompletableResponseListener(request, 1 << 20).send().whenComplete((response, failure) -> {
            int status = failure != null ? -1 : response.getStatus();
            JsonNode json = null;
            if (failure == null && response.getContent().length > 0 && status < 300) {
                try {
                    json = JSON.readTree(response.getContent());
                } catch (Exception e) {
                    // keep json null
                }
            }
            if (status >= 300 || status < 0) {
                ledger.noteError(method + " " + path.replaceAll("/[0-9]+$", "/{id}") + " -> "
                        + (failure != null ? failure.toString() : status + " " + response.getContentAsString()));
            }
            done.accept(status, json);
            ledger.complete(w, status);
        });
    }

    @Override
    public String keyOf(SseEvent event) {
        String type = event.type();
        if (!type.startsWith("availability_")) {
            return null;
        }
        String data = event.data();
        if (type.equals("availability_deleted")) {
            int from = data.indexOf("\"data\"");
            String id = Json.valueAfter(data, "id", Math.max(from, 0));
            return id == null ? null : "d:" + id;
        }
        return Json.valueAfter(data, "note", 0);
    }

    @Override
    public PrometheusScrape serverMetrics() {
        try {
            return api().withTimeout(Duration.ofSeconds(10)).metrics();
        } catch (RuntimeException e) {
            return PrometheusScrape.empty();
        }
    }

    /** The plain API client for the few calls besides the measured writes and streams (signed in once {@link #setup} ran). */
    ApiClient api() {
        return new ApiClient(baseUrl, token).withTimeout(Duration.ofSeconds(60));
    }

    @Override
    public long appendedEpochMicros(SseEvent event) {
        String at = Json.valueAfter(event.data(), "at", 0);
        if (at == null) {
            return Long.MIN_VALUE;
        }
        try {
            java.time.Instant i = java.time.Instant.parse(at);
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
        } catch (java.time.format.DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    @Override
    public long orderOf(SseEvent event) {
        if (event.type().equals("reset")) {
            return -1;
        }
        String id = event.id();
        long n = 0;
        if (id.isEmpty() || id.length() > 18) {
            return -1;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
