package com.royalcare.scheduler.web;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestClocks;
import com.royalcare.scheduler.support.TestServer;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A table of malformed requests: each gets a clear 4xx in the error shape, and nothing is stored. */
class BadInputTest {

    private static TestServer server;
    private static ApiClient therapist;
    private static long slotId;
    private static long headBefore;

    private static final String VALID = "\"date\":\"2026-12-01\",\"start\":\"09:00\",\"end\":\"10:00\"";

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of(), TestClocks.startingAt(LocalDate.of(2026, 11, 1)));
        therapist = server.newStaff("badinput", "therapist");
        slotId = therapist.post("/api/availability", Map.of("date", "2026-11-30", "start", "09:00", "end", "10:00")).id();
        headBefore = therapist.get("/api/sync/head").json().get("seq").asLong();
    }

    @AfterAll
    static void stop() {
        // Nothing any bad request did may have been stored: the change log did not move.
        assertThat(therapist.get("/api/sync/head").json().get("seq").asLong()).isEqualTo(headBefore);
        assertThat(therapist.get("/api/availability").json().get("items")).hasSize(1);
        server.close();
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("POST", "/api/availability", "{bad", 400, "BAD_REQUEST", null),
                Arguments.of("POST", "/api/availability", "[]", 400, "BAD_REQUEST", null),
                Arguments.of("POST", "/api/availability", "", 400, "BAD_REQUEST", null),
                Arguments.of("POST", "/api/availability", "null", 400, "BAD_REQUEST", null),
                Arguments.of("POST", "/api/availability", "{" + VALID + "} trailing", 400, "BAD_REQUEST", null),
                Arguments.of("POST", "/api/availability", "{\"date\":20261201,\"start\":\"09:00\",\"end\":\"10:00\"}", 400, "VALIDATION", "date"),
                Arguments.of("POST", "/api/availability", "{\"date\":\"2026-02-30\",\"start\":\"09:00\",\"end\":\"10:00\"}", 400, "VALIDATION", "date"),
                Arguments.of("POST", "/api/availability", "{\"date\":\"01/12/2026\",\"start\":\"09:00\",\"end\":\"10:00\"}", 400, "VALIDATION", "date"),
                Arguments.of("POST", "/api/availability", "{\"date\":\"2026-12-01\",\"start\":\"25:00\",\"end\":\"10:00\"}", 400, "VALIDATION", "start"),
                Arguments.of("POST", "/api/availability", "{\"date\":\"2026-12-01\",\"start\":\"9:00\",\"end\":\"10:00\"}", 400, "VALIDATION", "start"),
                Arguments.of("POST", "/api/availability", "{\"date\":\"2026-12-01\",\"start\":\"09:00\",\"end\":\"10:60\"}", 400, "VALIDATION", "end"),
                Arguments.of("POST", "/api/availability", "{\"date\":\"2026-12-01\",\"start\":\"09:00\"}", 400, "VALIDATION", "end"),
                Arguments.of("POST", "/api/availability", "{" + VALID + ",\"colour\":\"red\"}", 400, "VALIDATION", "colour"),
                Arguments.of("POST", "/api/availability", "{" + VALID + ",\"available\":\"yes\"}", 400, "VALIDATION", "available"),
                Arguments.of("POST", "/api/availability", "{" + VALID + ",\"note\":\"" + "x".repeat(501) + "\"}", 400, "VALIDATION", "note"),
                Arguments.of("POST", "/api/availability", "{" + VALID + ",\"note\":\"bell\\u0007\"}", 400, "VALIDATION", "note"),
                Arguments.of("POST", "/api/availability", "{" + VALID + ",\"staffId\":\"abc\"}", 400, "VALIDATION", "staffId"),
                Arguments.of("POST", "/api/availability", "{" + VALID + ",\"staffId\":-4}", 400, "VALIDATION", "staffId"),
                Arguments.of("POST", "/api/availability", "{" + VALID + ",\"staffId\":1e30}", 400, "VALIDATION", "staffId"),
                Arguments.of("POST", "/api/availability", "{" + VALID + ",\"staffId\":99999999999999999999999}", 400, "VALIDATION", "staffId"),
                Arguments.of("POST", "/api/availability", "[".repeat(5000) + "]".repeat(5000), 400, "BAD_REQUEST", null),
                Arguments.of("POST", "/api/auth/login", "{\"username\":123,\"password\":\"x\"}", 400, "VALIDATION", "username"),
                Arguments.of("POST", "/api/staff", "{\"username\":\"abc\"}", 403, "FORBIDDEN", null),
                Arguments.of("PATCH", "/api/availability/{slot}", "{\"start\":\"24:00\"}", 400, "VALIDATION", "start"),
                Arguments.of("PATCH", "/api/availability/{slot}", "{\"staffId\":5}", 400, "VALIDATION", "staffId"),
                Arguments.of("PATCH", "/api/availability/{slot}", "{\"available\":null}", 400, "VALIDATION", "available"),
                Arguments.of("PATCH", "/api/availability/999999", "{\"note\":\"x\"}", 404, "NOT_FOUND", null),
                Arguments.of("PUT", "/api/availability/{slot}", "{\"date\":\"2026-11-31\",\"start\":\"09:00\",\"end\":\"10:00\"}", 400, "VALIDATION", "date"),
                Arguments.of("DELETE", "/api/availability/999999", "", 404, "NOT_FOUND", null),
                Arguments.of("DELETE", "/api/availability/abc", "", 404, "NOT_FOUND", null),
                Arguments.of("GET", "/api/availability/0", "", 404, "NOT_FOUND", null),
                Arguments.of("GET", "/api/availability?date=2026-13-01", "", 400, "VALIDATION", "date"),
                Arguments.of("GET", "/api/availability?staffId=x", "", 400, "VALIDATION", "staffId"),
                Arguments.of("GET", "/api/available-staff?date=2026-12-01&start=10:00&end=10:00", "", 400, "INVALID_RANGE", null),
                Arguments.of("GET", "/api/no-such-thing", "", 404, "NOT_FOUND", null));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3} {4}")
    @MethodSource("badRequests")
    void bad_request_gets_a_clear_json_error(String method, String path, String body, int status, String code, String field) {
        ApiClient.Response r = therapist.raw(method, path.replace("{slot}", Long.toString(slotId)),
                body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.errorCode()).isEqualTo(code);
        assertThat(r.json().get("error").get("message").asText()).isNotBlank();
        if (field != null) assertThat(r.json().get("error").get("fields").has(field)).as(r.text()).isTrue();
    }

    @Test
    void a_stale_or_garbage_if_match_is_412() {
        assertThat(therapist.patch("/api/availability/" + slotId, Map.of("note", "x"), "\"77\"").status()).isEqualTo(412);
        assertThat(therapist.patch("/api/availability/" + slotId, Map.of("note", "x"), "banana").errorCode()).isEqualTo("VERSION_MISMATCH");
    }

    @Test
    void a_body_over_64_kib_is_413_with_or_without_a_content_length() throws Exception {
        // 100 KiB, over the limit but small enough that the server reads and drops it before answering:
        // refused before its body has arrived, the client may still be sending when the connection closes,
        // and then sees a reset instead of the 413 (a race that failed CI once with a 10 MB body).
        byte[] big = ("{\"note\":\"" + "x".repeat(100 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        ApiClient.Response sized = therapist.raw("POST", "/api/availability", big, Map.of("Content-Type", "application/json"));
        assertThat(sized.status()).isEqualTo(413);
        assertThat(sized.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");

        byte[] chunked = ("{\"note\":\"" + "x".repeat(100 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = HttpClient.newHttpClient().send(therapist.request("/api/availability")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("PAYLOAD_TOO_LARGE");
    }

    /** Content types that pass the body check: the request reaches validation ("{}" lacks every field, so 400). */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"application/json", "application/json; charset=utf-8",
            "APPLICATION/JSON;CHARSET=UTF-8", "application/json; charset=\"UTF-8\"", "application/merge-patch+json",
            "application/vnd.royalcare+json; charset=utf-8", "application/json; profile=x"})
    void a_json_content_type_in_utf_8_or_without_charset_is_read(String type) {
        ApiClient.Response r = therapist.raw("POST", "/api/availability", "{}".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", type));
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("VALIDATION");
    }

    /** Anything else is 415 before the body is read, including a charset that does not exist (once a 500). */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"text/plain", "text/plain; x=json", "text/json",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", "application/json+xml",
            "application/+json", "json", "application/json; charset=bogus", "application/json; charset=latin1",
            "application/json; charset=utf-16", "application/json; charset=", "application/json; charset",
            "application/json; charset=utf-8; charset=bogus", ";"})
    void a_body_of_any_other_type_or_charset_is_415(String type) {
        ApiClient.Response r = therapist.raw("POST", "/api/availability", ("{" + VALID + "}").getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", type));
        assertThat(r.status()).as(r.text()).isEqualTo(415);
        assertThat(r.errorCode()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void a_body_without_content_type_is_415_with_a_length_or_chunked() throws Exception {
        byte[] body = ("{" + VALID + "}").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder sized = HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/api/availability"))
                .header("Authorization", "Bearer " + therapist.token()).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        HttpRequest.Builder chunked = HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/api/availability"))
                .header("Authorization", "Bearer " + therapist.token())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        for (HttpRequest.Builder b : java.util.List.of(sized, chunked)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(415);
            assertThat(r.body()).contains("UNSUPPORTED_MEDIA_TYPE");
        }
    }

    @Test
    void a_chunked_text_plain_body_is_415() throws Exception {
        byte[] body = ("{" + VALID + "}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = HttpClient.newHttpClient().send(therapist.request("/api/availability")
                        .setHeader("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(415);
    }

    @Test
    void a_json_body_that_is_not_utf_8_is_400() {
        byte[] latin1 = "{\"note\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] utf16 = ("{" + VALID + "}").getBytes(StandardCharsets.UTF_16);
        for (byte[] body : java.util.List.of(latin1, utf16)) {
            ApiClient.Response r = therapist.raw("POST", "/api/availability", body, Map.of("Content-Type", "application/json"));
            assertThat(r.status()).as(r.text()).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("BAD_REQUEST");
        }
    }

    /** Javalin would route a GET with X-HTTP-Method-Override: DELETE to the DELETE handler; the header is dropped first. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "x-http-method-override"})
    void a_method_override_header_is_ignored(String header) {
        ApiClient.Response r = therapist.raw("GET", "/api/availability/" + slotId, new byte[0], Map.of(header, "DELETE"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("id").asLong()).isEqualTo(slotId);
        assertThat(therapist.get("/api/availability/" + slotId).status()).isEqualTo(200);
    }

    @Test
    void a_method_override_query_parameter_is_ignored() {
        assertThat(therapist.raw("GET", "/api/availability/" + slotId + "?_method=DELETE", new byte[0], Map.of()).status()).isEqualTo(200);
        ApiClient.Response post = therapist.raw("POST", "/api/availability/" + slotId + "?_method=DELETE", "{}".getBytes(),
                Map.of("Content-Type", "application/json", "X-HTTP-Method-Override", "DELETE"));
        assertThat(post.status()).as(post.text()).isIn(404, 405);
        assertThat(therapist.get("/api/availability/" + slotId).status()).isEqualTo(200);
    }

    @Test
    void a_non_json_body_is_415() {
        ApiClient.Response r = therapist.raw("POST", "/api/availability", "date=2026-12-01".getBytes(),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.errorCode()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }
}
