package com.royalcare.loadtest.drill;

import com.royalcare.testkit.ApiClient;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A simulated screen: what a browser tab holds of the availability board, kept current by the
 * change feed exactly as the real client is meant to do it — load a snapshot (which carries its
 * {@code seq}), follow changes after it, apply each change once by seq, and on {@code reset} or a
 * {@code global_refresh} load a fresh snapshot while buffering what arrives meanwhile.
 *
 * <p>Everything is non-blocking (the HTTP client's callbacks and one timer), so a few hundred
 * screens cost a handful of threads. All state is guarded by {@code this}.
 *
 * <p>Besides its state, a screen checks the protocol as it goes: an event at or below the position
 * it already had is a duplicate; a screen that may see every change (an operator's, unfiltered)
 * must get them contiguously, so any hole is a gap. Both must stay zero.
 */
abstract class Screen {

    /** What happened on one screen; read under the screen's lock via {@link #stats()}. */
    static final class Stats {
        long applied;
        long duplicates;
        long gaps;
        long backwards;
        long protocolErrors;
        long resets;
        long refreshes;
        long snapshots;
        long connects;
        long polls;
        long drops;
        long disconnects;
        long pauses;

        Stats copy() {
            Stats s = new Stats();
            s.add(this);
            return s;
        }

        void add(Stats o) {
            applied += o.applied;
            duplicates += o.duplicates;
            gaps += o.gaps;
            backwards += o.backwards;
            protocolErrors += o.protocolErrors;
            resets += o.resets;
            refreshes += o.refreshes;
            snapshots += o.snapshots;
            connects += o.connects;
            polls += o.polls;
            drops += o.drops;
            disconnects += o.disconnects;
            pauses += o.pauses;
        }

        long violations() {
            return duplicates + gaps + backwards + protocolErrors;
        }

        long applied() {
            return applied;
        }

        long drops() {
            return drops;
        }

        long disconnects() {
            return disconnects;
        }

        long pauses() {
            return pauses;
        }
    }

    final String name;
    final String token;
    final Scope scope;
    /** An operator's screen: sees every change its filter lets through. */
    final boolean operator;
    protected final ApiClient http;
    protected final ScheduledExecutorService timer;
    private final List<String> nodes;
    private final int home;
    private int node;
    private int failures; // consecutive, for backoff

    private final Map<Long, SlotView> state = new HashMap<>();
    /**
     * The same board built from the first snapshot and the feed's changes alone, never reloaded: a
     * {@code global_refresh} reload would heal a lost or wrong change in {@link #state}, so this one is
     * compared too. Only a {@code reset} (history gone) makes it meaningless.
     */
    private final Map<Long, SlotView> eventsOnly = new HashMap<>();
    private long eventsOnlyApplied = -1;
    private boolean eventsOnlyValid = true;
    private final List<JsonNode> buffered = new ArrayList<>();
    private long applied = -1;
    protected long position = -1;
    private boolean refetching;
    private long pausedUntil;
    protected boolean stopped;
    private String failure;
    protected final Stats stats = new Stats();

    Screen(String name, String token, Scope scope, boolean operator, List<String> nodes, int firstNode, ApiClient http,
           ScheduledExecutorService timer) {
        this.name = name;
        this.token = token;
        this.scope = scope;
        this.operator = operator;
        this.nodes = List.copyOf(nodes);
        this.home = Math.floorMod(firstNode, nodes.size());
        this.node = home;
        this.http = http.withToken(token); // the screen's own session on the shared connection pool
        this.timer = timer;
    }

    /** Loads the first snapshot, then connects. */
    final void start() {
        refetch(true);
    }

    /** Opens the feed (stream or poll) after {@link #position}. */
    abstract void connect();

    /** Drops the connection as a flaky network would, and reconnects shortly after with resume. */
    abstract void disconnect();

    /** Stop reading for {@code ms} (the connection stays open; for polling: no poll meanwhile). */
    final void pause(long ms) {
        synchronized (this) {
            if (stopped) return;
            pausedUntil = System.currentTimeMillis() + ms;
            stats.pauses++;
        }
        timer.schedule(this::pauseOver, ms, TimeUnit.MILLISECONDS);
    }

    /** Ends a pause now (quiet time: every tab wakes up). */
    final void wake() {
        synchronized (this) {
            if (pausedUntil == 0) return;
            pausedUntil = 0;
        }
        pauseOver();
    }

    /** Called when a pause is over. */
    abstract void pauseOver();

    /** Ends the screen for good (end of the drill). */
    abstract void stop();

    final synchronized boolean paused() {
        return System.currentTimeMillis() < pausedUntil;
    }

    final synchronized String base() {
        return nodes.get(node);
    }

    /** Another node, if there is one (after a refused connection). */
    final synchronized void failover() {
        node = (node + 1) % nodes.size();
    }

    /** The node this screen started on, if it is one of {@code urls}. */
    final boolean homeIs(String url) {
        return nodes.get(home).equals(url);
    }

    /** Back to the home node after failing over (its node is up again): reconnect there, resuming. */
    final void goHome() {
        synchronized (this) {
            if (node == home) return;
            node = home;
        }
        disconnect();
    }

    /** Delay before the next attempt: short at first, growing while attempts keep failing. */
    final synchronized long backoff(boolean failed) {
        failures = failed ? Math.min(failures + 1, 6) : 0;
        long base = failed ? 50L << failures : 20;
        return Math.min(1000, base) + ThreadLocalRandom.current().nextLong(50);
    }

    /** A stream opened, or (polling) the first answer after a failure. */
    final synchronized void connected() {
        failures = 0;
        stats.connects++;
    }

    final void later(long ms, Runnable r) {
        try {
            timer.schedule(r, ms, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // the drill is over
        }
    }

    /** A fatal problem (e.g. 401): the screen stops and the drill reports it. */
    final synchronized void fail(String why) {
        if (failure == null) failure = why;
        stopped = true;
    }

    final synchronized String failure() {
        return failure;
    }

    // ---- snapshots --------------------------------------------------------------------------

    /** Loads a fresh snapshot of the scope; changes arriving meanwhile are buffered and applied after it. */
    final void refetch(boolean thenConnect) {
        synchronized (this) {
            if (stopped) return;
            refetching = true;
        }
        String url = base() + "/api/availability" + (scope.query().isEmpty() ? "" : "?" + scope.query());
        http.getAsync(url, Duration.ofSeconds(30)).whenComplete((r, err) -> snapshotArrived(r, err, thenConnect));
    }

    private void snapshotArrived(HttpResponse<String> r, Throwable err, boolean thenConnect) {
        ApiClient.Outcome o = ApiClient.outcome(r, err);
        if (o instanceof ApiClient.Response a && a.status() == 200) {
            install(a.json());
            if (thenConnect) connect();
            return;
        }
        if (o instanceof ApiClient.Response a && a.status() != 503) {
            fail("snapshot refused: " + ApiClient.describe(o));
            return;
        }
        if (o instanceof ApiClient.NotSent) failover();
        later(backoff(true), () -> refetch(thenConnect));
    }

    private synchronized void install(JsonNode listing) {
        long seq = listing.get("seq").asLong();
        state.clear();
        for (Map.Entry<Long, SlotView> e : SlotView.ofItems(listing).entrySet()) {
            if (scope.contains(e.getValue())) state.put(e.getKey(), e.getValue());
            else stats.protocolErrors++; // the server listed a slot outside the asked scope
        }
        applied = seq;
        if (position < 0) position = seq;
        if (eventsOnlyApplied < 0) { // the first snapshot seeds the events-only board
            eventsOnly.putAll(state);
            eventsOnlyApplied = seq;
        }
        stats.snapshots++;
        refetching = false;
        List<JsonNode> pending = new ArrayList<>(buffered);
        buffered.clear();
        for (JsonNode c : pending) change(c);
    }

    // ---- changes ----------------------------------------------------------------------------

    /** A change from the feed, in feed order. Applied once (by seq), or buffered while a snapshot loads. */
    protected final void change(JsonNode c) {
        assert Thread.holdsLock(this);
        applyEventsOnly(c);
        if (refetching) {
            buffered.add(c);
            return;
        }
        long seq = c.get("seq").asLong();
        if (seq <= applied) return; // already in the snapshot
        applied = seq;
        stats.applied++;
        JsonNode data = c.get("data");
        switch (c.get("type").asText()) {
            case "availability_created", "availability_updated" -> {
                SlotView s = SlotView.of(data);
                if (scope.contains(s)) state.put(s.id(), s);
                else state.remove(s.id()); // moved out of this screen's dates
            }
            case "availability_deleted" -> state.remove(data.get("id").asLong());
            case "global_refresh" -> {
                stats.refreshes++;
                refetch(false);
            }
            default -> { } // staff_updated: not part of the board's slots
        }
    }

    private void applyEventsOnly(JsonNode c) {
        long seq = c.get("seq").asLong();
        if (eventsOnlyApplied < 0 || seq <= eventsOnlyApplied) return;
        eventsOnlyApplied = seq;
        JsonNode data = c.get("data");
        switch (c.get("type").asText()) {
            case "availability_created", "availability_updated" -> {
                SlotView s = SlotView.of(data);
                if (scope.contains(s)) eventsOnly.put(s.id(), s);
                else eventsOnly.remove(s.id());
            }
            case "availability_deleted" -> eventsOnly.remove(data.get("id").asLong());
            default -> { }
        }
    }

    /** Checks an event's seq against the position the feed had reached; returns false for a duplicate. */
    protected final boolean inOrder(long seq) {
        assert Thread.holdsLock(this);
        if (seq <= position) {
            stats.duplicates++;
            return false;
        }
        if (scope.unfiltered() && operator && position >= 0 && seq != position + 1) stats.gaps++;
        return true;
    }

    /** History was gone: reload, continue after {@code seq}. */
    protected final void resetTo(long seq) {
        assert Thread.holdsLock(this);
        stats.resets++;
        eventsOnlyValid = false;
        position = seq;
        refetch(false);
    }

    // ---- checks -----------------------------------------------------------------------------

    /**
     * Whether this screen's feed should carry {@code c} — the server's rule restated from the API
     * contract: operators see everything, others only changes about themselves plus global refreshes
     * that name nobody; a staff filter lets through changes about that staff member or about no one;
     * a date range lets through changes on a date in it (or moved from one) and changes without a date.
     * Used only to know how far a filtered stream must have got at quiet time.
     */
    boolean sees(JsonNode c) {
        String type = c.get("type").asText();
        JsonNode staff = c.get("staffId");
        Long staffId = staff == null || staff.isNull() ? null : staff.asLong();
        if (!operator) {
            if (staffId == null) return type.equals("global_refresh");
            if (!staffId.equals(scope.staffId())) return false;
        }
        if (scope.staffId() != null && staffId != null && !staffId.equals(scope.staffId())) return false;
        JsonNode date = c.get("date");
        if ((scope.from() != null || scope.to() != null) && date != null && !date.isNull()) {
            return inRange(date.asText()) || inRange(c.get("data").path("previousDate").asText(null));
        }
        return true;
    }

    private boolean inRange(String date) {
        if (date == null) return false;
        java.time.LocalDate d = java.time.LocalDate.parse(date);
        return (scope.from() == null || !d.isBefore(scope.from())) && (scope.to() == null || !d.isAfter(scope.to()));
    }

    /** Has this screen seen everything up to {@code head} and is it settled (not loading, not paused)? */
    synchronized boolean caughtUp(long head) {
        return failure == null && !refetching && applied >= 0 && position >= head
                && System.currentTimeMillis() >= pausedUntil;
    }

    synchronized long position() {
        return position;
    }

    /** Differences from {@code reference} (the server's snapshot of the same scope); empty when equal. */
    synchronized List<String> diff(Map<Long, SlotView> reference) {
        List<String> out = new ArrayList<>();
        TreeSet<Long> ids = new TreeSet<>(reference.keySet());
        ids.addAll(state.keySet());
        for (Long id : ids) {
            SlotView mine = state.get(id);
            SlotView truth = reference.get(id);
            if (!Objects.equals(mine, truth)) out.add("slot " + id + ": screen " + mine + " vs server " + truth);
        }
        if (eventsOnlyValid) {
            ids = new TreeSet<>(reference.keySet());
            ids.addAll(eventsOnly.keySet());
            for (Long id : ids) {
                SlotView mine = eventsOnly.get(id);
                SlotView truth = reference.get(id);
                if (!Objects.equals(mine, truth)) out.add("slot " + id + " built from changes only: " + mine + " vs server " + truth);
            }
        }
        return out;
    }

    synchronized int size() {
        return state.size();
    }

    synchronized Stats stats() {
        return stats.copy();
    }

    synchronized String describe() {
        return name + " [" + scope + ", position " + position + ", applied " + applied + (refetching ? ", loading" : "")
                + (paused() ? ", paused" : "") + (failure != null ? ", FAILED: " + failure : "") + "]";
    }
}
