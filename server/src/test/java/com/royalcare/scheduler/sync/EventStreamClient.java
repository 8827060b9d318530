package com.royalcare.scheduler.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.scheduler.web.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real HTTP event-stream client for tests: parses frames as EventSource does, and tracks the last
 * event id the way a browser would (an {@code id:} field counts even in a frame without data).
 */
final class EventStreamClient implements AutoCloseable {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Duration WAIT = Duration.ofSeconds(10);

    /** One dispatched block: {@code event} is null for id-only or comment-only blocks. */
    record Frame(Long id, String event, String data, List<String> comments) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        long seq() {
            return json().get("seq").asLong();
        }

        boolean isEvent() {
            return data != null;
        }
    }

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final List<String> rawLines = new ArrayList<>();
    private volatile Long lastEventId;
    private volatile Frame hello;

    private EventStreamClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread reader = new Thread(this::read, "test-sse-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** Opens {@code path} (with query) signed in with {@code token} (null: anonymous); {@code lastEventId} as a header if given. */
    static EventStreamClient open(String baseUrl, String token, String path, Long lastEventId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", "text/event-stream").GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (lastEventId != null) b.header("Last-Event-ID", Long.toString(lastEventId));
        try {
            return new EventStreamClient(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return response.statusCode();
    }

    String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The whole body of a refused (non-200) response. */
    String errorBody() {
        try (Stream<String> lines = response.body()) {
            return String.join("\n", lines.toList());
        }
    }

    /** The stream's first block, {@code event: hello} with the heartbeat interval, once it has arrived (else null). */
    Frame hello() {
        return hello;
    }

    /** As a browser's EventSource would send it on reconnect. */
    Long lastEventId() {
        return lastEventId;
    }

    /** The next frame of any kind; fails after {@link #WAIT}. */
    Frame next() {
        try {
            Frame f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) throw new AssertionError("no frame within " + WAIT + (isEnded() ? " (stream ended)" : "") + "; lines so far: " + rawLines());
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame with data (an event), skipping comments and id-only frames. */
    Frame nextEvent() {
        while (true) {
            Frame f = next();
            if (f.isEvent()) return f;
        }
    }

    /** Events until (and including) the one with seq {@code seq}. */
    List<Frame> eventsThrough(long seq) {
        List<Frame> got = new ArrayList<>();
        while (true) {
            Frame f = nextEvent();
            got.add(f);
            if (f.id() != null && f.id() >= seq) return got;
        }
    }

    /** Frames already received and not taken yet. */
    List<Frame> pending() {
        List<Frame> out = new ArrayList<>();
        frames.drainTo(out);
        return out;
    }

    boolean awaitEnd(Duration timeout) {
        try {
            return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean isEnded() {
        return ended.getCount() == 0;
    }

    /** Drops the connection (a forced disconnect). */
    @Override
    public void close() {
        response.body().close();
    }

    private void read() {
        Long id = null;
        String event = null;
        StringBuilder data = null;
        List<String> comments = new ArrayList<>();
        try {
            Iterator<String> it = response.body().iterator();
            while (it.hasNext()) {
                String line = it.next();
                synchronized (rawLines) {
                    rawLines.add(line);
                }
                if (line.isEmpty()) {
                    if (id != null) lastEventId = id;
                    if ("hello".equals(event) && frames.isEmpty() && hello == null) {
                        hello = new Frame(id, event, data == null ? null : data.toString(), List.copyOf(comments)); // kept apart: tests read changes
                    } else if ("heartbeat".equals(event)) { // a keep-alive, not a change: kept as the comment frame it also is
                        frames.add(new Frame(id, null, null, List.copyOf(comments)));
                    } else if (id != null || event != null || data != null || !comments.isEmpty()) {
                        frames.add(new Frame(id, event, data == null ? null : data.toString(), List.copyOf(comments)));
                    }
                    id = null;
                    event = null;
                    data = null;
                    comments.clear();
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).trim());
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = Long.parseLong(value);
                        case "event" -> event = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { } // retry: and unknown fields
                    }
                }
            }
        } catch (RuntimeException e) {
            // closed by us or dropped by the server
        } finally {
            ended.countDown();
        }
    }

    List<String> rawLines() {
        synchronized (rawLines) {
            return List.copyOf(rawLines);
        }
    }
}
