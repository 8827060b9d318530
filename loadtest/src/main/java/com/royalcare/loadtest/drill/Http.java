package com.royalcare.loadtest.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The drills' HTTP side: JSON over {@code java.net.http} (HTTP/1.1), bearer tokens, and a result that
 * says what a client can actually know about a request — answered, never sent (the connection was
 * refused), or lost (sent, but the answer never came: the server may or may not have acted on it).
 */
final class Http {

    /** Plain Jackson: the drills send maps and records of strings and numbers. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** What happened to one request. */
    sealed interface Outcome permits Answered, NotSent, Lost {
    }

    /**
     * The server answered. {@code json} is NullNode for an empty or non-JSON body; {@code replayed}:
     * the answer came from an Idempotency-Key (header {@code Idempotent-Replayed}).
     */
    record Answered(int status, String body, JsonNode json, boolean replayed) implements Outcome {
        Answered(int status, String body, JsonNode json) {
            this(status, body, json, false);
        }

        boolean ok() {
            return status / 100 == 2;
        }

        String errorCode() {
            return json.path("error").path("code").asText("");
        }
    }

    /** The connection could not be opened: the request never reached a server. */
    record NotSent(Throwable cause) implements Outcome {
    }

    /** The request may have reached the server, but no answer came back. */
    record Lost(Throwable cause) implements Outcome {
    }

    private final HttpClient client;
    private final Duration timeout;

    Http(Executor executor, Duration timeout) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (executor != null) b.executor(executor);
        this.client = b.build();
        this.timeout = timeout;
    }

    HttpClient client() {
        return client;
    }

    static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    /** Blocking: one request, classified. */
    Outcome send(String method, String url, String token, Object body, Map<String, String> headers) {
        HttpRequest req = build(method, url, token, body, headers, timeout);
        try {
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            return answered(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lost(e);
        } catch (IOException | RuntimeException e) {
            return classify(e);
        }
    }

    /**
     * Non-blocking GET. The returned future is the client's own, so cancelling it aborts the exchange;
     * turn its result into an {@link Outcome} with {@link #outcome}.
     */
    CompletableFuture<HttpResponse<String>> getAsync(String url, String token, Duration requestTimeout) {
        return client.sendAsync(build("GET", url, token, null, Map.of(), requestTimeout), HttpResponse.BodyHandlers.ofString());
    }

    static Outcome outcome(HttpResponse<String> r, Throwable err) {
        return err == null ? answered(r) : classify(err);
    }

    Outcome get(String url, String token) {
        return send("GET", url, token, null, Map.of());
    }

    /** GET that must answer 200; anything else is an {@link IllegalStateException} with the reason. */
    JsonNode getOk(String url, String token) {
        Outcome o = get(url, token);
        if (o instanceof Answered a && a.status() == 200) return a.json();
        throw new IllegalStateException("GET " + url + " failed: " + describe(o));
    }

    static String describe(Outcome o) {
        if (o instanceof Answered a) return a.status() + " " + abbreviate(a.body());
        if (o instanceof NotSent n) return "not sent (" + n.cause() + ")";
        return "lost (" + ((Lost) o).cause() + ")";
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static HttpRequest build(String method, String url, String token, Object body, Map<String, String> headers, Duration t) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : write(body));
        HttpRequest.Builder b = request(url, token).method(method, publisher);
        if (t != null) b.timeout(t);
        headers.forEach(b::header);
        return b.build();
    }

    private static Answered answered(HttpResponse<String> r) {
        JsonNode json;
        try {
            json = r.body() == null || r.body().isEmpty() ? NullNode.getInstance() : MAPPER.readTree(r.body());
        } catch (IOException e) {
            json = NullNode.getInstance();
        }
        return new Answered(r.statusCode(), r.body(), json, r.headers().firstValue("Idempotent-Replayed").isPresent());
    }

    /** Refused or timed-out connects never reached the server; everything else may have. */
    static Outcome classify(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException || t instanceof UnresolvedAddressException) {
            return new NotSent(t);
        }
        if (t.getCause() instanceof ConnectException) return new NotSent(t);
        return new Lost(t);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String write(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
