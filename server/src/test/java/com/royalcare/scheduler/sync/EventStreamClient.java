package com.royalcare.scheduler.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.testkit.SseEvent;
import com.royalcare.testkit.SseParser;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * A real HTTP event-stream client for tests: parses frames with the kit's {@link SseParser} as
 * EventSource does, and tracks the last event id the way a browser would (an {@code id:} field
 * counts even in a frame without data).
 */
final class EventStreamClient implements AutoCloseable {

    static final HttpClient HTTP = ApiClient.newHttpClient(null);
    static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * One block: {@code id} is its own {@code id:} field (null when it had none); {@code event} is
     * null for blocks without data (id-only or comment-only), "message" for data without a type.
     */
    record Frame(Long id, String event, String data, List<String> comments) {
        JsonNode json() {
            try {
                return ApiClient.MAPPER.readTree(data);
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
        HttpRequest.Builder b = new ApiClient(HTTP, baseUrl, token, null).request(path).header("Accept", "text/event-stream").GET();
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
        List<String> comments = new ArrayList<>();
        SseParser[] parser = new SseParser[1];
        parser[0] = new SseParser(new SseParser.Listener() {
            @Override
            public void onEvent(SseEvent e) {
                Long id = ownId();
                if ("hello".equals(e.type()) && frames.isEmpty() && hello == null) {
                    hello = new Frame(id, e.type(), e.data(), List.copyOf(comments)); // kept apart: tests read changes
                } else if ("heartbeat".equals(e.type())) { // a keep-alive, not a change: kept as the comment frame it also is
                    frames.add(new Frame(id, null, null, List.copyOf(comments)));
                } else {
                    frames.add(new Frame(id, e.type(), e.data(), List.copyOf(comments)));
                }
                comments.clear();
            }

            @Override
            public void onComment(String comment) {
                comments.add(comment.trim());
            }

            @Override
            public void onBlockWithoutData() {
                Long id = ownId();
                if (id != null || !comments.isEmpty()) frames.add(new Frame(id, null, null, List.copyOf(comments)));
                comments.clear();
            }

            /** The block's own id (a number, or the stream is broken), which is now the last event id. */
            private Long ownId() {
                if (!parser[0].blockHadId()) return null;
                Long id = Long.parseLong(parser[0].lastEventId());
                lastEventId = id;
                return id;
            }
        });
        try {
            Iterator<String> it = response.body().iterator();
            while (it.hasNext()) {
                String line = it.next();
                synchronized (rawLines) {
                    rawLines.add(line);
                }
                parser[0].feedLine(line);
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
