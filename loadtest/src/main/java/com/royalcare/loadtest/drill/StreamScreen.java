package com.royalcare.loadtest.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.testkit.SseEvent;
import com.royalcare.testkit.SseParser;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A screen on the event stream, behaving like a browser's EventSource: the first connection asks
 * for {@code ?since=<snapshot seq>}, every reconnection sends {@code Last-Event-ID} (the last
 * {@code id:} seen, including id-only position marks and heartbeats). Lines arrive through a
 * reactive subscriber with explicit demand, so a paused screen really stops reading and the
 * server's socket backs up, as with a frozen tab.
 */
final class StreamScreen extends Screen {

    private static final int DEMAND = 128;

    private Connection connection; // the current one, or null
    private long firstSince = -1;

    StreamScreen(String name, String token, Scope scope, boolean operator, List<String> nodes, int firstNode, ApiClient http,
                 ScheduledExecutorService timer) {
        super(name, token, scope, operator, nodes, firstNode, http, timer);
    }

    @Override
    void connect() {
        Connection c;
        long resumeFrom;
        synchronized (this) {
            if (stopped || connection != null) return;
            if (firstSince < 0) firstSince = position;
            resumeFrom = position;
            c = new Connection();
            connection = c;
        }
        StringBuilder url = new StringBuilder(base()).append("/api/events?since=").append(firstSince);
        if (!scope.query().isEmpty()) url.append('&').append(scope.query());
        HttpRequest.Builder b = http.withTimeout(null).request(url.toString()).header("Accept", "text/event-stream").GET();
        if (resumeFrom != firstSince) b.header("Last-Event-ID", Long.toString(resumeFrom));
        http.http().sendAsync(b.build(), info -> info.statusCode() == 200
                        ? HttpResponse.BodySubscribers.fromLineSubscriber(c, x -> "", StandardCharsets.UTF_8, null)
                        : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8))
                .whenComplete((r, err) -> {
                    if (err != null) ended(c, err);
                    else if (r.statusCode() != 200) refused(c, r.statusCode(), r.body());
                    else ended(c, null);
                });
    }

    @Override
    void disconnect() {
        Connection c;
        synchronized (this) {
            c = connection;
            if (stopped || c == null) return;
            connection = null;
            stats.disconnects++;
        }
        c.cancel();
        later(ThreadLocalRandom.current().nextLong(20, 500), this::connect);
    }

    @Override
    void pauseOver() {
        Connection c;
        synchronized (this) {
            c = connection;
        }
        if (c != null) c.demand();
    }

    @Override
    void stop() {
        Connection c;
        synchronized (this) {
            stopped = true;
            c = connection;
            connection = null;
        }
        if (c != null) c.cancel();
    }

    /** The server refused the stream (non-200). 503 while restarting is retried; anything else is fatal. */
    private void refused(Connection c, int status, String body) {
        synchronized (this) {
            if (connection != c) return;
            connection = null;
        }
        if (status == 503) later(backoff(true), this::connect);
        else fail("stream refused: " + status + " " + body);
    }

    /** The connection ended (server gone, restarted, cut us, or a network error): resume after a short backoff. */
    private void ended(Connection c, Throwable err) {
        boolean refusedConnect;
        synchronized (this) {
            if (connection != c) return; // we dropped it ourselves
            connection = null;
            if (stopped) return;
            if (c.established) stats.drops++;
            refusedConnect = !c.established && err != null && ApiClient.classify(err) instanceof ApiClient.NotSent;
        }
        if (refusedConnect) failover();
        later(backoff(!c.established), this::connect);
    }

    /** One complete event-stream block (dispatch at a blank line). */
    private synchronized void dispatch(Connection c, Long id, String event, String data) {
        if (connection != c || stopped) return;
        if (data == null) {
            if (id != null) { // a position mark or a heartbeat carrying the position
                if (id < position) stats.backwards++;
                position = Math.max(position, id);
            }
            return;
        }
        String type = event == null ? "message" : event;
        switch (type) {
            case "heartbeat" -> { // a keep-alive; its id (if any) is the position
                if (id != null) {
                    if (id < position) stats.backwards++;
                    position = Math.max(position, id);
                }
            }
            case "hello" -> {
                // {"heartbeatMs": N}: the stream's heartbeat interval; nothing to apply
            }
            case "reset" -> {
                if (id == null) stats.protocolErrors++;
                else resetTo(id);
            }
            case "closed" -> {
                String reason = parse(data).path("reason").asText();
                if (!reason.equals("shutdown")) fail("stream closed by the server: " + reason);
                // shutdown: the connection ends next and we resume elsewhere or after the restart
            }
            default -> {
                JsonNode change = parse(data);
                long seq = change.path("seq").asLong(-1);
                if (id == null || seq != id) {
                    stats.protocolErrors++;
                    return;
                }
                if (!inOrder(seq)) return;
                position = seq;
                change(change);
            }
        }
    }

    private static JsonNode parse(String data) {
        try {
            return ApiClient.MAPPER.readTree(data);
        } catch (IOException e) {
            return ApiClient.MAPPER.createObjectNode();
        }
    }

    /** One HTTP connection's line subscriber, feeding the kit's event-stream parser. */
    private final class Connection implements Flow.Subscriber<String>, SseParser.Listener {

        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;
        private int outstanding; // guarded by this connection
        private volatile boolean established;
        /** Only fed from onNext, which the HTTP client calls serially. */
        private final SseParser parser = new SseParser(this);

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) s.cancel();
            else demand();
        }

        /** Asks for more lines unless the screen is paused (then the socket fills up and the server backs off). */
        void demand() {
            Flow.Subscription s = subscription;
            if (s == null || cancelled || paused()) return;
            long n;
            synchronized (this) {
                if (outstanding > DEMAND / 2) return;
                n = DEMAND - outstanding;
                outstanding = DEMAND;
            }
            s.request(n);
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) s.cancel();
        }

        @Override
        public void onNext(String line) {
            synchronized (this) {
                outstanding--;
            }
            if (cancelled) return;
            if (!established) {
                established = true;
                connected();
            }
            parser.feedLine(line);
            demand();
        }

        /** A block with data: its own id (null when it had none), its type and data. */
        @Override
        public void onEvent(SseEvent e) {
            dispatch(this, ownId(), e.type(), e.data());
        }

        /** A block without data: an id-only position mark or a heartbeat carrying the position, or just a comment. */
        @Override
        public void onBlockWithoutData() {
            Long id = ownId();
            if (id != null) dispatch(this, id, null, null);
        }

        /** The {@code id:} of the block being dispatched, or null when it had none or it is not a number (a protocol error). */
        private Long ownId() {
            if (!parser.blockHadId()) return null;
            try {
                return Long.parseLong(parser.lastEventId());
            } catch (NumberFormatException e) {
                synchronized (StreamScreen.this) {
                    stats.protocolErrors++;
                }
                return null;
            }
        }

        @Override
        public void onError(Throwable t) {
            ended(this, t);
        }

        @Override
        public void onComplete() {
            ended(this, null);
        }
    }
}
