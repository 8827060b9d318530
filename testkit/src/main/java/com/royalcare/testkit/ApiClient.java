package com.royalcare.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * A JSON client of the Royal Care HTTP API over {@code java.net.http} (HTTP/1.1), signed in with a
 * bearer token or anonymous. Immutable: {@link #withToken} and {@link #withTimeout} make cheap
 * copies that share the underlying {@link HttpClient}.
 *
 * <p>Two ways to send. The test way ({@link #get}, {@link #post}, ... {@link #send}) returns a
 * {@link Response} and throws when no answer came. The drill way ({@link #attempt},
 * {@link #getAsync} with {@link #outcome}) never throws and says what a client can actually know:
 * {@link Response answered}, {@link NotSent never sent} (the connection was refused), or
 * {@link Lost lost} (sent, but no answer came: the server may or may not have acted on it).
 *
 * <p>A path is relative to the base URL, or an absolute {@code http(s)://} URL (a drill that fails
 * over between nodes keeps one client and names the node in each URL).
 */
public final class ApiClient {

    /** The kit's own mapper for request bodies and answers: plain Jackson, java.time values as ISO text. */
    public static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** Default time a request may take until its answer starts. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final HttpClient SHARED = newHttpClient(null);

    /** What happened to one request: answered, never sent, or lost. */
    public sealed interface Outcome permits Response, NotSent, Lost {
    }

    /** The connection could not be opened: the request never reached a server. */
    public record NotSent(Throwable cause) implements Outcome {
    }

    /** The request may have reached the server, but no answer came back. */
    public record Lost(Throwable cause) implements Outcome {
    }

    /** An answer: status, headers, body text and (parsed on first use) its JSON, NullNode when empty or not JSON. */
    public static final class Response implements Outcome {
        private final int status;
        private final HttpHeaders headers;
        private final String text;
        private volatile JsonNode json; // parsed lazily: a benchmark timing polls reads only the text

        public Response(int status, HttpHeaders headers, String text) {
            this.status = status;
            this.headers = headers;
            this.text = text == null ? "" : text;
        }

        public int status() {
            return status;
        }

        public boolean ok() {
            return status / 100 == 2;
        }

        public HttpHeaders headers() {
            return headers;
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String text() {
            return text;
        }

        public JsonNode json() {
            JsonNode j = json;
            if (j == null) {
                try {
                    j = text.isEmpty() ? NullNode.getInstance() : MAPPER.readTree(text);
                } catch (IOException e) {
                    j = NullNode.getInstance();
                }
                json = j;
            }
            return j;
        }

        /** The API error's code ({@code {"error":{"code":...}}}), or null. */
        public String errorCode() {
            return json().path("error").path("code").asText(null);
        }

        /** The {@code id} field of the answer (0 when absent). */
        public long id() {
            return json().path("id").asLong();
        }

        @Override
        public String toString() {
            return status + " " + abbreviate(text);
        }
    }

    private final HttpClient http;
    private final String baseUrl;
    private final String token;
    private final Duration timeout;

    /** A client of {@code baseUrl} on a shared JDK client; {@code token} null for anonymous. */
    public ApiClient(String baseUrl, String token) {
        this(SHARED, baseUrl, token, TIMEOUT);
    }

    /**
     * A client on {@code http}. {@code baseUrl} null: every path must be an absolute URL.
     * {@code timeout} null: requests wait for their answer as long as it takes (streams).
     */
    public ApiClient(HttpClient http, String baseUrl, String token, Duration timeout) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.token = token;
        this.timeout = timeout;
    }

    /** An HTTP/1.1 JDK client with a 5-second connect timeout, on {@code executor} (null: the JDK's default). */
    public static HttpClient newHttpClient(Executor executor) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (executor != null) b.executor(executor);
        return b.build();
    }

    public ApiClient withToken(String token) {
        return new ApiClient(http, baseUrl, token, timeout);
    }

    public ApiClient withTimeout(Duration timeout) {
        return new ApiClient(http, baseUrl, token, timeout);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public String token() {
        return token;
    }

    /** The JDK client underneath, for what this class does not do (e.g. streaming bodies). */
    public HttpClient http() {
        return http;
    }

    // ---- the server's basics ----------------------------------------------------------------

    /** Signs in at {@code baseUrl}; a client with the session's token. */
    public static ApiClient signIn(String baseUrl, String username, String password) {
        return new ApiClient(baseUrl, null).signIn(username, password);
    }

    /** Signs in through this client's connection; a copy with the session's token. */
    public ApiClient signIn(String username, String password) {
        return withToken(signInToken("/api/auth/login", username, password));
    }

    /** Signs in at {@code loginUrl} (a path or an absolute URL) and returns the token. */
    public String signInToken(String loginUrl, String username, String password) {
        Outcome o = attempt("POST", loginUrl, Map.of("username", username, "password", password), Map.of());
        if (o instanceof Response r && r.status() == 200) return r.json().get("token").asText();
        throw new IllegalStateException("sign-in as " + username + " failed: " + describe(o));
    }

    /** The password {@link #createStaff} gives an account. */
    public static String passwordOf(String username) {
        return username + "-pass1";
    }

    /** Creates a staff account (as an operator) named "Test {@code username}" with {@link #passwordOf}; returns its id. */
    public long createStaff(String username, String role) {
        return createStaff("/api/staff", username, role, Map.of());
    }

    /** Like {@link #createStaff(String, String)} at {@code staffUrl}, with extra fields (e.g. a driver's vehicle). */
    public long createStaff(String staffUrl, String username, String role, Map<String, ?> extra) {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("username", username);
        body.put("name", "Test " + username);
        body.put("role", role);
        body.put("password", passwordOf(username));
        Outcome o = attempt("POST", staffUrl, body, Map.of());
        if (o instanceof Response r && r.status() == 201) return r.id();
        throw new IllegalStateException("creating staff " + username + " failed: " + describe(o));
    }

    /** The signed-in account's id ({@code GET /api/me}). */
    public long me() {
        return get("/api/me").json().get("id").asLong();
    }

    /** The change log's committed head ({@code GET /api/sync/head}). */
    public long head() {
        return getOk("/api/sync/head").get("seq").asLong();
    }

    /** The server's {@code /metrics}; fails unless it answers 200. */
    public PrometheusScrape metrics() {
        Response r = get("/metrics");
        if (r.status() != 200) throw new IllegalStateException("GET /metrics: " + r);
        return PrometheusScrape.parse(r.text());
    }

    // ---- tests: answers or exceptions -------------------------------------------------------

    public Response get(String path) {
        return send(request(path).GET());
    }

    /** GET that must answer 200: its JSON; anything else is an {@link IllegalStateException} with the reason. */
    public JsonNode getOk(String path) {
        Outcome o = attempt("GET", path, null, Map.of());
        if (o instanceof Response r && r.status() == 200) return r.json();
        throw new IllegalStateException("GET " + path + " failed: " + describe(o));
    }

    public Response post(String path, Object body) {
        return send(request(path).POST(json(body)));
    }

    public Response put(String path, Object body, String ifMatch) {
        return send(ifMatch(request(path).PUT(json(body)), ifMatch));
    }

    public Response patch(String path, Object body, String ifMatch) {
        return send(ifMatch(request(path).method("PATCH", json(body)), ifMatch));
    }

    public Response delete(String path, String ifMatch) {
        return send(ifMatch(request(path).DELETE(), ifMatch));
    }

    /** Sends raw bytes with the given headers, which replace the default ones (for malformed-input tests). */
    public Response raw(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::setHeader);
        return send(b);
    }

    /** A request to {@code path} with the JSON content type, the bearer token if any, and the timeout if any. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json");
        if (timeout != null) b.timeout(timeout);
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    /** Sends and reads the answer; no answer is an {@link UncheckedIOException}. */
    public Response send(HttpRequest.Builder b) {
        try {
            return answered(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- drills: outcomes, never exceptions -------------------------------------------------

    /** One blocking request, classified; {@code body} null for none, a String as is, anything else as JSON. */
    public Outcome attempt(String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : json(body);
        HttpRequest.Builder b = request(path).method(method, publisher);
        headers.forEach(b::setHeader);
        try {
            return answered(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lost(e);
        } catch (IOException | RuntimeException e) {
            return classify(e);
        }
    }

    /**
     * Non-blocking GET with its own {@code timeout}. The future is the JDK client's own, so
     * cancelling it aborts the exchange; turn its result into an {@link Outcome} with {@link #outcome}.
     */
    public CompletableFuture<HttpResponse<String>> getAsync(String path, Duration timeout) {
        HttpRequest.Builder b = request(path).GET();
        if (timeout != null) b.timeout(timeout);
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static Outcome outcome(HttpResponse<String> r, Throwable err) {
        return err == null ? answered(r) : classify(err);
    }

    /** Refused or timed-out connects never reached the server; everything else may have. */
    public static Outcome classify(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException || t instanceof UnresolvedAddressException) {
            return new NotSent(t);
        }
        if (t.getCause() instanceof ConnectException) return new NotSent(t);
        return new Lost(t);
    }

    public static String describe(Outcome o) {
        if (o instanceof Response r) return r.toString();
        if (o instanceof NotSent n) return "not sent (" + n.cause() + ")";
        return "lost (" + ((Lost) o).cause() + ")";
    }

    // ---- internals --------------------------------------------------------------------------

    private URI uri(String path) {
        if (path.startsWith("http://") || path.startsWith("https://")) return URI.create(path);
        if (baseUrl == null) throw new IllegalArgumentException("no base URL for " + path);
        return URI.create(baseUrl + path);
    }

    private static HttpRequest.Builder ifMatch(HttpRequest.Builder b, String ifMatch) {
        if (ifMatch != null) b.header("If-Match", ifMatch);
        return b;
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : write(body));
    }

    /** {@code value} as JSON text with the kit's mapper. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static Response answered(HttpResponse<String> r) {
        return new Response(r.statusCode(), r.headers(), r.body());
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
