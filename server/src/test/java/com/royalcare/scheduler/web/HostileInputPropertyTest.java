package com.royalcare.scheduler.web;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestClocks;
import com.royalcare.scheduler.support.TestServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.URLEncoder;
import java.time.LocalDate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and malformed bodies, headers and query strings at every endpoint: never a 5xx, every
 * error in the JSON error shape, and a refused request leaves the change log (so the data) as it was.
 * Random Content-Type headers on valid bodies: only JSON in UTF-8 is taken, everything else is 415.
 */
class HostileInputPropertyTest {

    private static final List<String> FIELDS = List.of("date", "start", "end", "available", "note", "staffId",
            "username", "password", "name", "role", "active", "phone", "pressure", "vehiclePlate", "specialization", "__proto__");
    private static final List<String> NASTY = List.of("'; DROP TABLE staff; --", "<script>alert(1)</script>", "\u0000",
            "\uD83D\uDE00", "\u202E", "2026-02-30", "25:00", "23:59", "00:00", "-1", "1e309", "NaN", "null", "true",
            "9".repeat(40), "../../etc/passwd", "%00", "\r\nX-Injected: 1", "2026-12-01", "13:00", "operator");

    private static TestServer server;
    private static ApiClient therapist;
    private static ApiClient operator;
    private static long slotId;
    private static long staffId;

    @BeforeContainer
    static void start() {
        server = TestServer.start(Map.of(), TestClocks.startingAt(LocalDate.of(2026, 11, 1)));
        operator = server.operator();
        therapist = server.newStaff("fuzzed", "therapist");
        staffId = therapist.me();
        slotId = therapist.post("/api/availability", Map.of("date", "2026-11-30", "start", "09:00", "end", "10:00")).id();
        typist = server.newStaff("typist", "therapist"); // its own account: the other properties' fuzzing never touches its slot
        typistSlot = typist.post("/api/availability", Map.of("date", "2026-11-29", "start", "09:00", "end", "10:00")).id();
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.of(NASTY).map(HostileInputPropertyTest::quote),
                Arbitraries.strings().all().ofMaxLength(40).map(HostileInputPropertyTest::quote),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("true", "false", "null", "[]", "{}", "[[[[[[]]]]]]", "{\"a\":{\"b\":{}}}", "\"\""));
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> member = Combinators.combine(Arbitraries.oneOf(Arbitraries.of(FIELDS),
                        Arbitraries.strings().all().ofMaxLength(10)), values())
                .as((k, v) -> quote(k) + ":" + v);
        Arbitrary<String> object = member.list().ofMaxSize(8).map(m -> "{" + String.join(",", m) + "}");
        Arbitrary<String> garbage = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> broken = object.map(o -> o.substring(0, Math.max(0, o.length() - 1)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, object), net.jqwik.api.Tuple.of(2, garbage), net.jqwik.api.Tuple.of(2, broken));
    }

    @Provide
    Arbitrary<String> writes() {
        return Arbitraries.of("POST /api/availability", "PATCH /api/availability/{slot}", "PUT /api/availability/{slot}",
                "DELETE /api/availability/{slot}", "POST /api/staff", "PATCH /api/staff/{staff}", "POST /api/auth/login",
                "POST /api/availability/{slot}", "PATCH /api/availability/-1", "PUT /api/staff/{staff}", "GET /api/availability/{junk}");
    }

    @Property(tries = 400)
    void random_bodies_never_cause_a_server_error(@ForAll("writes") String endpoint, @ForAll("bodies") String body,
                                                  @ForAll("values") String ifMatch, @ForAll boolean asOperator) {
        String[] parts = endpoint.split(" ");
        String path = parts[1].replace("{slot}", Long.toString(slotId)).replace("{staff}", Long.toString(staffId))
                .replace("{junk}", URLEncoder.encode(ifMatch, StandardCharsets.UTF_8));
        ApiClient client = asOperator ? operator : therapist;
        long headBefore = head();
        String slotBefore = operator.get("/api/availability/" + slotId).text();
        ApiClient.Response r = client.raw(parts[0], path, body.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "If-Match", ifMatch.replaceAll("[^\\x20-\\x7e]", "")));
        assertThat(r.status()).as("%s %s -> %s", endpoint, body, r.text()).isLessThan(500);
        if (r.status() >= 400) {
            assertThat(r.json().path("error").path("code").asText()).as(r.text()).isNotBlank();
            assertThat(r.json().path("error").path("message").asText()).isNotBlank();
            assertThat(head()).as("a refused request must store nothing").isEqualTo(headBefore);
            assertThat(operator.get("/api/availability/" + slotId).text()).isEqualTo(slotBefore);
        } else if (operator.get("/api/availability/" + slotId).status() == 404) {
            // the fuzzer deleted the slot legitimately; give it a new one to aim at
            slotId = therapist.post("/api/availability", Map.of("date", "2026-11-30", "start", "09:00", "end", "10:00")).id();
        }
    }

    @Property(tries = 300)
    void random_query_strings_never_cause_a_server_error(
            @ForAll("queryPaths") String path, @ForAll("values") String a, @ForAll("values") String b) {
        String query = "?staffId=" + enc(a) + "&date=" + enc(b) + "&from=" + enc(a) + "&to=" + enc(b)
                + "&start=" + enc(a) + "&end=" + enc(b) + "&role=" + enc(a) + "&active=" + enc(b);
        ApiClient.Response r = therapist.get(path + query);
        assertThat(r.status()).as("%s%s -> %s", path, query, r.text()).isLessThan(500);
        if (r.status() >= 400) assertThat(r.json().path("error").path("code").asText()).isNotBlank();
    }

    @Provide
    Arbitrary<String> queryPaths() {
        return Arbitraries.of("/api/availability", "/api/available-staff", "/api/staff", "/api/sync/head");
    }

    // ---- Content-Type: only application/json or application/*+json, charset UTF-8 or none (issue 13, item 7)

    /** A Content-Type header as sent (null: none at all), and whether the server must take the body. */
    record ContentType(String header, boolean json) {
        @Override
        public String toString() {
            return (header == null ? "(no Content-Type)" : "'" + header + "'") + (json ? " -> taken" : " -> 415");
        }
    }

    /** A parameter and what it does to the verdict: NEUTRAL keeps it, REFUSE makes the header not JSON. */
    private enum Effect { NEUTRAL, REFUSE }

    private record Param(String text, Effect effect) {
    }

    /** The writes whose effect is easy to see: a create (availability, staff) and an edit (a slot's flag). */
    enum Write { CREATE_SLOT, TOGGLE_SLOT, CREATE_STAFF }

    private static ApiClient typist;
    private static long typistSlot;
    private static final java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();

    @Provide
    Arbitrary<ContentType> contentTypes() {
        Arbitrary<String> token = Arbitraries.strings().withCharRange('a', 'z').withChars('0', '9', '.', '-').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> jsonMedia = Arbitraries.oneOf(Arbitraries.just("application/json"),
                token.map(t -> "application/" + t + "+json"), Arbitraries.of("application/vnd.api+json", "application/merge-patch+json",
                        "application/problem+json", "application/ld+json"));
        Arbitrary<String> otherMedia = Arbitraries.oneOf(
                Arbitraries.of("text/plain", "text/json", "text/html", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data", "application/octet-stream", "application/jsonx", "application/json5",
                        "application/+json", "application/json+xml", "application/json/x", "*/*", "application/*", "json", "",
                        "application", "/json", "text/plain; x=json", "application /json"),
                Combinators.combine(token, token).as((a, b) -> a + "/" + b).filter(m -> !m.equals("application/json") && !m.endsWith("+json")),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30).filter(m -> !m.toLowerCase(java.util.Locale.ROOT).contains("json")));
        Arbitrary<Param> goodCharset = Arbitraries.of("charset=utf-8", "charset=UTF-8", "Charset=Utf-8", "CHARSET=\"utf-8\"", "charset=\"UTF-8\"")
                .map(p -> new Param(p, Effect.NEUTRAL));
        Arbitrary<Param> badCharset = Arbitraries.oneOf(
                Arbitraries.of("charset=bogus", "charset=", "charset=\"\"", "charset=iso-8859-1", "charset=ISO-8859-1", "charset=utf-16",
                        "charset=UTF-16LE", "charset=us-ascii", "charset=windows-1252", "charset=utf-8x", "charset=utf-7", "charset=\"bogus\""),
                token.map(t -> "charset=x-" + t)).map(p -> new Param(p, Effect.REFUSE));
        Arbitrary<Param> neutral = Arbitraries.of("version=2", "q=0.9", "boundary=abc", "x=json", "profile=\"urn:example:p\"", "")
                .map(p -> new Param(p, Effect.NEUTRAL));
        Arbitrary<Param> malformed = Arbitraries.of("foo", "=utf-8", "charset").map(p -> new Param(p, Effect.REFUSE));
        Arbitrary<Param> param = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, goodCharset), net.jqwik.api.Tuple.of(3, badCharset),
                net.jqwik.api.Tuple.of(2, neutral), net.jqwik.api.Tuple.of(1, malformed));
        Arbitrary<String> separator = Arbitraries.of(";", "; ", " ; ", ";  ");
        Arbitrary<Boolean> isJson = Arbitraries.of(true, true, false);
        Arbitrary<ContentType> typed = Combinators.combine(isJson, jsonMedia, otherMedia, param.list().ofMaxSize(3), separator,
                        Arbitraries.longs())
                .as((json, jm, om, params, sep, caseSeed) -> {
                    String media = json ? randomCase(jm, caseSeed) : om;
                    StringBuilder header = new StringBuilder(media);
                    for (Param p : params) header.append(sep).append(p.text());
                    boolean taken = json && params.stream().noneMatch(p -> p.effect() == Effect.REFUSE);
                    return new ContentType(header.toString(), taken);
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(12, typed), net.jqwik.api.Tuple.of(1, Arbitraries.just(new ContentType(null, false))));
    }

    /** The same media type with each letter's case picked by {@code seed}: media types are case-insensitive. */
    private static String randomCase(String s, long seed) {
        java.util.Random random = new java.util.Random(seed);
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) out.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        return out.toString();
    }

    @Property(tries = 300)
    void only_json_in_utf_8_is_taken_anything_else_is_415_and_stores_nothing(
            @ForAll("contentTypes") ContentType type, @ForAll Write write, @ForAll boolean chunked) {
        int n = tries.incrementAndGet();
        String date = LocalDate.of(2026, 12, 1).plusDays(n).toString(); // its own day: a create never meets an overlap
        String username = "typed" + n;
        boolean wasAvailable = typist.get("/api/availability/" + typistSlot).json().get("available").asBoolean();
        ApiClient client = write == Write.CREATE_STAFF ? operator : typist;
        String method = write == Write.TOGGLE_SLOT ? "PATCH" : "POST";
        String path = switch (write) {
            case CREATE_SLOT -> "/api/availability";
            case TOGGLE_SLOT -> "/api/availability/" + typistSlot;
            case CREATE_STAFF -> "/api/staff";
        };
        Map<String, Object> body = switch (write) {
            case CREATE_SLOT -> Map.of("date", date, "start", "09:00", "end", "10:00");
            case TOGGLE_SLOT -> Map.of("available", !wasAvailable);
            case CREATE_STAFF -> Map.of("username", username, "name", "Typed " + n, "role", "driver", "password", "typed-pass-1");
        };
        byte[] bytes = ApiClient.write(body).getBytes(StandardCharsets.UTF_8);
        long headBefore = head();

        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + path))
                .timeout(java.time.Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + client.token())
                .method(method, chunked
                        ? java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))
                        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (type.header() != null) request.header("Content-Type", type.header());
        ApiClient.Response r = client.send(request);

        String what = String.format("%s %s %s -> %s", method, type, chunked ? "chunked" : "sized", r.text());
        assertThat(r.status()).as(what).isLessThan(500);
        if (type.json()) {
            assertThat(r.status()).as(what).isEqualTo(write == Write.TOGGLE_SLOT ? 200 : 201);
        } else {
            assertThat(r.status()).as(what).isEqualTo(415);
            assertThat(r.errorCode()).as(what).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
            assertThat(r.json().path("error").path("message").asText()).as(what).contains("application/json");
            assertThat(head()).as("a refused request must store nothing: " + what).isEqualTo(headBefore);
        }
        // what the lists say afterwards: stored exactly when taken
        switch (write) {
            case CREATE_SLOT -> assertThat(typist.get("/api/availability?date=" + date).json().get("items")).as(what).hasSize(type.json() ? 1 : 0);
            case TOGGLE_SLOT -> assertThat(typist.get("/api/availability/" + typistSlot).json().get("available").asBoolean())
                    .as(what).isEqualTo(type.json() != wasAvailable);
            case CREATE_STAFF -> assertThat(operator.get("/api/staff").json().get("items").findValuesAsText("username"))
                    .as(what).matches(names -> names.contains(username) == type.json(), "holds " + username + " exactly when taken");
        }
    }

    private static long head() {
        return operator.get("/api/sync/head").json().get("seq").asLong();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }
}
