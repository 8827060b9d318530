package com.royalcare.scheduler.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.royalcare.scheduler.web.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A real HTTP client for tests, signed in with a bearer token (or anonymous). */
public final class ApiClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A response with its status, headers and JSON body (NullNode when empty or not JSON). */
    public record Response(int status, java.net.http.HttpHeaders headers, String text, JsonNode json) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String errorCode() {
            return json.path("error").path("code").asText(null);
        }

        public long id() {
            return json.path("id").asLong();
        }
    }

    private final String baseUrl;
    private final String token;

    public ApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public static ApiClient signIn(String baseUrl, String username, String password) {
        Response r = new ApiClient(baseUrl, null).post("/api/auth/login", Map.of("username", username, "password", password));
        if (r.status() != 200) throw new IllegalStateException("sign-in as " + username + " failed: " + r.status() + " " + r.text());
        return new ApiClient(baseUrl, r.json().get("token").asText());
    }

    public static String passwordOf(String username) {
        return username + "-pass1";
    }

    public String token() {
        return token;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public long createStaff(String username, String role) {
        Response r = post("/api/staff", Map.of("username", username, "name", "Test " + username, "role", role,
                "password", passwordOf(username)));
        if (r.status() != 201) throw new IllegalStateException("create staff failed: " + r.status() + " " + r.text());
        return r.id();
    }

    public long me() {
        return get("/api/me").json().get("id").asLong();
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response post(String path, Object body) {
        return send(request(path).POST(json(body)));
    }

    public Response put(String path, Object body, String ifMatch) {
        HttpRequest.Builder b = request(path).PUT(json(body));
        if (ifMatch != null) b.header("If-Match", ifMatch);
        return send(b);
    }

    public Response patch(String path, Object body, String ifMatch) {
        HttpRequest.Builder b = request(path).method("PATCH", json(body));
        if (ifMatch != null) b.header("If-Match", ifMatch);
        return send(b);
    }

    public Response delete(String path, String ifMatch) {
        HttpRequest.Builder b = request(path).DELETE();
        if (ifMatch != null) b.header("If-Match", ifMatch);
        return send(b);
    }

    /** Sends raw bytes with the given headers (for malformed-input tests). */
    public Response raw(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::setHeader);
        return send(b);
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        String text = body instanceof String s ? s : Json.write(body);
        return HttpRequest.BodyPublishers.ofString(text);
    }

    private static Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = r.body().isEmpty() ? NullNode.getInstance() : Json.MAPPER.readTree(r.body());
            } catch (IOException e) {
                json = NullNode.getInstance();
            }
            return new Response(r.statusCode(), r.headers(), r.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
