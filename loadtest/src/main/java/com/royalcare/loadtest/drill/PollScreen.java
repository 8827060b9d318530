package com.royalcare.loadtest.drill;

import com.royalcare.testkit.ApiClient;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A screen on long polling ({@code GET /api/changes?since=&wait=}), the fallback for networks that
 * break streams: each answer's {@code seq} is the next {@code since}; {@code reset: true} means
 * reload. Polls run back to back without a thread per screen.
 */
final class PollScreen extends Screen {

    private final int maxWaitSeconds;
    private CompletableFuture<HttpResponse<String>> inFlight;
    private int generation;
    private boolean failed = true; // until the first answer

    PollScreen(String name, String token, Scope scope, boolean operator, List<String> nodes, int firstNode, ApiClient http,
               ScheduledExecutorService timer, int maxWaitSeconds) {
        super(name, token, scope, operator, nodes, firstNode, http, timer);
        this.maxWaitSeconds = maxWaitSeconds;
    }

    @Override
    void connect() {
        poll();
    }

    private void poll() {
        int gen;
        long since;
        int wait;
        synchronized (this) {
            if (stopped || inFlight != null) return;
            if (paused()) return; // pauseOver() polls again
            gen = ++generation;
            since = position;
            wait = 1 + ThreadLocalRandom.current().nextInt(maxWaitSeconds);
        }
        StringBuilder url = new StringBuilder(base()).append("/api/changes?since=").append(since).append("&wait=").append(wait);
        if (!scope.query().isEmpty()) url.append('&').append(scope.query());
        CompletableFuture<HttpResponse<String>> f = http.getAsync(url.toString(), Duration.ofSeconds(wait + 30L));
        synchronized (this) {
            if (gen != generation) { // disconnected or stopped while we were sending
                f.cancel(true);
                return;
            }
            inFlight = f;
        }
        f.whenComplete((r, err) -> answered(gen, since, ApiClient.outcome(r, err)));
    }

    private void answered(int gen, long since, ApiClient.Outcome o) {
        long delay;
        synchronized (this) {
            if (gen != generation || stopped) return;
            inFlight = null;
            if (o instanceof ApiClient.Response a && a.status() == 200) {
                if (failed) connected();
                failed = false;
                stats.polls++;
                apply(since, a.json());
                delay = 0;
            } else if (o instanceof ApiClient.Response a && a.status() != 503) {
                fail("poll refused: " + ApiClient.describe(o));
                return;
            } else {
                if (o instanceof ApiClient.NotSent) failover();
                else stats.drops++;
                failed = true;
                delay = backoff(true);
            }
        }
        if (delay == 0) timer.execute(this::poll);
        else later(delay, this::poll);
    }

    private void apply(long since, JsonNode answer) {
        long seq = answer.get("seq").asLong();
        if (answer.path("reset").asBoolean(false)) {
            if (!answer.get("events").isEmpty()) stats.protocolErrors++;
            resetTo(seq);
            return;
        }
        long last = since;
        for (JsonNode e : answer.get("events")) {
            long s = e.get("seq").asLong();
            if (s <= last) {
                stats.duplicates++;
                continue;
            }
            if (!inOrder(s)) continue;
            position = s;
            last = s;
            change(e);
        }
        if (seq < last) stats.protocolErrors++;
        if (seq < position) stats.backwards++;
        position = Math.max(position, seq);
    }

    @Override
    void disconnect() {
        CompletableFuture<HttpResponse<String>> f;
        synchronized (this) {
            if (stopped) return;
            generation++;
            f = inFlight;
            inFlight = null;
            stats.disconnects++;
        }
        if (f != null) f.cancel(true);
        later(ThreadLocalRandom.current().nextLong(20, 500), this::poll);
    }

    @Override
    void pauseOver() {
        poll();
    }

    @Override
    void stop() {
        CompletableFuture<HttpResponse<String>> f;
        synchronized (this) {
            stopped = true;
            generation++;
            f = inFlight;
            inFlight = null;
        }
        if (f != null) f.cancel(true);
    }
}
