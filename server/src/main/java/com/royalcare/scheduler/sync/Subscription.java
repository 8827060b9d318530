package com.royalcare.scheduler.sync;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client's interest in the change log and its queue of things to send, in order.
 *
 * <p>Two queues: the <em>backlog</em> holds what a resume replays (from the in-memory ring or the
 * database) and is drained first; the <em>live</em> queue holds what the hub publishes after the
 * subscription joined, and is bounded: when the client cannot keep up and the live queue is full,
 * {@link #deliver} refuses and the hub cuts the client, which then resumes from its last id.
 *
 * <p>{@link #position()} is the seq the client will be at once the queue is drained: every change
 * up to it was either queued or deliberately skipped (not visible to this viewer, or filtered out).
 * Streams send skipped positions as {@code id:}-only frames, so a resume never replays them.
 *
 * <p>Thread-safety: all state is guarded by {@code this}; the hub calls in with its own lock held
 * (hub, then subscription — never the other way round). {@code wake} runs outside the subscription's lock.
 */
final class Subscription {

    /** Why a subscription ended; {@code frameReason} is sent to the client in a final {@code closed} event. */
    enum End {
        SIGNED_OUT("signed_out"), DISABLED("disabled"), SHUTDOWN("shutdown"),
        LAGGING(null), GONE(null), ERROR(null);

        final String frameReason;

        End(String frameReason) {
            this.frameReason = frameReason;
        }
    }

    /** Something to send: an {@link Event} or one of the markers below. */
    sealed interface Item permits Event, Mark, Heartbeat, Reset, Ended {
    }

    /** The client has everything up to {@code seq} (the changes after its last event were skipped). */
    record Mark(long seq) implements Item {
    }

    /** Idle keep-alive; {@code seq} is the hub position at that moment, or -1 while still catching up. */
    record Heartbeat(long seq) implements Item {
    }

    /** History before the resume point is gone: refetch, then continue after {@code seq}. */
    record Reset(long seq) implements Item {
    }

    record Ended(End reason) implements Item {
    }

    private static final AtomicLong NUMBERS = new AtomicLong();

    final long number = NUMBERS.incrementAndGet();
    final Viewer viewer;
    final Filter filter;
    private final int limit;
    private final boolean streaming;
    private volatile Waker wake = () -> { };
    /** The last seq the hub offered this subscription (hub lock only): one offer per change, however it is indexed. */
    long offeredSeq;

    private final ArrayDeque<Item> backlog = new ArrayDeque<>();
    private final ArrayDeque<Item> live = new ArrayDeque<>();
    private long position;
    private End end;

    /**
     * @param limit     live items buffered before the client counts as lagging
     * @param streaming streams get position marks and heartbeats; polls only need events
     */
    Subscription(Viewer viewer, Filter filter, int limit, boolean streaming) {
        this.viewer = viewer;
        this.filter = filter;
        this.limit = limit;
        this.streaming = streaming;
    }

    /** Who sends what this subscription queues. */
    interface Waker {
        /** Items became available or the subscription ended: arrange for them to be sent (cheap, non-blocking). */
        void wake();

        /** Same, but the caller lends its thread to start sending right away (still never blocks). */
        default void wakeHere() {
            wake();
        }
    }

    /** Sets what to run when items become available or the subscription ends. */
    void onWake(Waker wake) {
        this.wake = wake;
    }

    /** Lets the publisher wake this subscription after it queued an event (outside the hub's lock). */
    void wakeHere() {
        wake.wakeHere();
    }

    /** What {@link #deliver} did with an event. */
    enum Offer {
        /** Queued behind others: whoever drains the queue is already on its way. */
        QUEUED,
        /** Queued into an empty queue: the publisher must call {@link #wakeHere()}. */
        WAKE,
        /** Not queued: the live queue is full and the client is lagging. */
        FULL
    }

    boolean wants(Change c) {
        return viewer.maySee(c) && filter.matches(c);
    }

    synchronized long position() {
        return position;
    }

    synchronized void advanceTo(long seq) {
        position = Math.max(position, seq);
    }

    synchronized End ended() {
        return end;
    }

    /** Adds a published event (the caller wakes the subscription when told to). */
    synchronized Offer deliver(Event e) {
        if (end != null || e.seq() <= position) return Offer.QUEUED;
        if (live.size() >= limit) return Offer.FULL;
        boolean wasEmpty = isEmpty();
        live.add(e);
        position = e.seq();
        return wasEmpty ? Offer.WAKE : Offer.QUEUED;
    }

    /** A published change this client does not get; moves the position on. True when the caller must wake it. */
    synchronized boolean skip(long seq) {
        if (end != null || seq <= position) return false;
        position = seq;
        if (!streaming) return false;
        boolean wasEmpty = isEmpty();
        addMark(live, seq);
        return wasEmpty;
    }

    /** Adds a change to the backlog (resume), wanted or not. */
    synchronized void replay(Event e) {
        if (end != null || e.seq() <= position) return;
        position = e.seq();
        if (wants(e.change())) backlog.add(e);
        else if (streaming) addMark(backlog, e.seq());
    }

    /** Same as {@link #replay(Event)} for a change not rendered yet (read from the database). */
    synchronized void replay(Change c) {
        if (end != null || c.seq() <= position) return;
        if (wants(c)) {
            backlog.add(Event.of(c));
            position = c.seq();
        } else {
            position = c.seq();
            if (streaming) addMark(backlog, c.seq());
        }
    }

    /** A replay read everything up to {@code seq} that this viewer may see: the position moves there (marked for streams). */
    synchronized void replayedThrough(long seq) {
        if (end != null || seq <= position) return;
        position = seq;
        if (streaming) addMark(backlog, seq);
    }

    synchronized void reset(long seq) {
        if (end != null) return;
        position = seq;
        backlog.add(new Reset(seq));
    }

    /** Queues a keep-alive (coalesced, so a stuck client holds at most one). True when the caller must wake it. */
    synchronized boolean heartbeat(long hubPosition) {
        if (end != null || !streaming) return false;
        if (hubPosition > position) position = hubPosition;
        long seq = hubPosition < 0 ? -1 : position;
        boolean wasEmpty = isEmpty();
        Item last = live.peekLast();
        if (last instanceof Heartbeat || last instanceof Mark) live.pollLast();
        live.add(new Heartbeat(seq));
        return wasEmpty;
    }

    /** Ends the subscription: drops whatever is queued and leaves only the end marker. True if this call ended it. */
    boolean end(End reason) {
        synchronized (this) {
            if (end != null) return false;
            end = reason;
            backlog.clear();
            live.clear();
            live.add(new Ended(reason));
        }
        wake.wake();
        return true;
    }

    /** Takes the next item, backlog first, or null. */
    synchronized Item poll() {
        return backlog.isEmpty() ? live.poll() : backlog.poll();
    }

    /** Moves up to {@code max} items, backlog first, into {@code into}; returns how many. */
    synchronized int drain(List<Item> into, int max) {
        int n = 0;
        while (n < max) {
            Item item = backlog.isEmpty() ? live.poll() : backlog.poll();
            if (item == null) break;
            into.add(item);
            n++;
        }
        return n;
    }

    synchronized boolean isEmpty() {
        return backlog.isEmpty() && live.isEmpty();
    }

    private static void addMark(ArrayDeque<Item> queue, long seq) {
        if (queue.peekLast() instanceof Mark) queue.pollLast();
        queue.add(new Mark(seq));
    }
}
