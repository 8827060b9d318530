package com.royalcare.scheduler.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Fan-out: who is subscribed, and handing each published event to the subscribers that should get it.
 *
 * <p>Subscribers restricted to some staff (every therapist and driver, and operators who filter by
 * staffId) are indexed by those staff ids, so publishing a change visits only the subscribers indexed
 * under a member of its audience plus the unrestricted ones: the cost grows with matching
 * subscribers, not with all of them. Changes whose audience names nobody (a global refresh, an
 * operators-only change) visit everyone joined. The hub reads nothing out of a change's payload.
 *
 * <p>Publishing never blocks: it appends to bounded per-client queues and wakes the writers. A
 * client whose queue is full is cut; it reconnects and resumes from its last id. The wake-ups happen
 * after the lock is released: the publishing thread starts the first few writes itself (no hand-off,
 * so a lone subscriber gets the event without another thread waking up) and passes the rest to the
 * writer pool in chunks, one task per chunk rather than per stream.
 *
 * <p>All methods are atomic (one lock), so joining — replaying the ring after a resume point and
 * starting to receive live events — can neither miss nor repeat an event published meanwhile.
 */
final class Hub {

    /** Streams the publishing thread writes to itself; more would delay the publisher (often a request thread). */
    private static final int INLINE = 8;
    /** Streams per writer-pool task beyond the inline ones. */
    private static final int CHUNK = 64;
    /** Each heartbeat tick serves one slice of the subscriptions; all of them once per interval. */
    static final int HEARTBEAT_SLICES = 10;

    private final int ringSize;
    private final SyncMetrics metrics;
    private final Executor writers;

    private long last;
    private Ring ring;
    private final Set<Subscription> registered = new HashSet<>();
    /** {@code registered} split by {@code number % HEARTBEAT_SLICES}, so a tick visits only its slice. */
    private final List<Set<Subscription>> slices = new ArrayList<>();
    private final Map<Long, Set<Subscription>> byPrincipal = new HashMap<>();
    private final Set<Subscription> joined = new HashSet<>();
    private final Set<Subscription> unrestricted = new HashSet<>();
    private final Map<Long, Set<Subscription>> byStaff = new HashMap<>();

    /** @param writers runs the wake-ups of streams beyond the first few of each publish */
    Hub(int ringSize, long head, SyncMetrics metrics, Executor writers) {
        this.ringSize = ringSize;
        this.metrics = metrics;
        this.writers = writers;
        for (int i = 0; i < HEARTBEAT_SLICES; i++) slices.add(new HashSet<>());
        startAt(head);
    }

    /** Forgets the ring and continues from {@code head} (startup). */
    synchronized void startAt(long head) {
        last = head;
        ring = new Ring(ringSize, head);
    }

    /** The seq of the last event published. */
    synchronized long last() {
        return last;
    }

    synchronized int size() {
        return registered.size();
    }

    /** How many subscriptions {@code account} holds. */
    synchronized int countOf(long account) {
        Set<Subscription> mine = byPrincipal.get(account);
        return mine == null ? 0 : mine.size();
    }

    /** Makes {@code s} known (so it can be ended, and gets heartbeats) before it joins the live feed. */
    synchronized void register(Subscription s) {
        registered.add(s);
        sliceOf(s).add(s);
        byPrincipal.computeIfAbsent(s.viewer.id(), k -> new HashSet<>()).add(s);
    }

    /**
     * Starts live delivery after {@code since} if memory still holds every event after it (replaying
     * those into the backlog first); false if the caller must read older history from the database.
     */
    synchronized boolean tryJoin(Subscription s, long since) {
        if (!registered.contains(s) || joined.contains(s)) return true;
        if (since < ring.floor()) return false;
        s.advanceTo(since);
        ring.forEachAfter(since, s::replay);
        index(s);
        return true;
    }

    /** Starts live delivery after the current position (optionally announcing a reset first); returns that position. */
    synchronized long joinAtHead(Subscription s, boolean reset) {
        if (!registered.contains(s) || joined.contains(s)) return last;
        if (reset) s.reset(last);
        else s.advanceTo(last);
        index(s);
        return last;
    }

    /** Forgets {@code s}; returns its position (for a joined subscription at least the hub's). */
    synchronized long remove(Subscription s) {
        if (registered.remove(s)) {
            sliceOf(s).remove(s);
            Set<Subscription> mine = byPrincipal.get(s.viewer.id());
            if (mine != null && mine.remove(s) && mine.isEmpty()) byPrincipal.remove(s.viewer.id());
            if (joined.remove(s)) {
                unindex(s);
                s.advanceTo(last);
            }
        }
        return s.position();
    }

    /** Publishes the next change; the dispatcher calls this strictly in seq order, one call at a time. */
    void publish(Event e) {
        List<Subscription> woken = enqueue(e);
        int inline = Math.min(INLINE, woken.size());
        wakeInChunks(woken, inline);
        for (int i = 0; i < inline; i++) woken.get(i).wakeHere();
    }

    /** Hands the wake-ups of {@code woken} from index {@code from} on to the writer pool, one task per chunk. */
    private void wakeInChunks(List<Subscription> woken, int from) {
        for (int i = from; i < woken.size(); i += CHUNK) {
            List<Subscription> chunk = woken.subList(i, Math.min(woken.size(), i + CHUNK));
            writers.execute(() -> chunk.forEach(Subscription::wakeHere));
        }
    }

    /** Queues {@code e} for every subscriber that should get it; returns those whose queue was empty. */
    private synchronized List<Subscription> enqueue(Event e) {
        Change c = e.change();
        ring.add(e);
        last = c.seq();
        // Streams the change ends close before anything more reaches them, this change included.
        for (long account : c.endStreams().accounts()) endPrincipal(account, c.endStreams().reason().end);
        List<Subscription> woken = new ArrayList<>();
        List<Subscription> lagging = new ArrayList<>(0);
        Set<Long> members = c.audience().staffIds();
        if (members.isEmpty()) {
            for (Subscription s : joined) offer(s, e, woken, lagging);
        } else {
            for (Subscription s : unrestricted) offer(s, e, woken, lagging);
            for (Long member : members) {
                Set<Subscription> interested = byStaff.get(member);
                // a subscriber indexed under several members is offered the change once
                if (interested != null) for (Subscription s : interested) if (s.offeredSeq != c.seq()) offer(s, e, woken, lagging);
            }
        }
        for (Subscription s : lagging) end(s, Subscription.End.LAGGING);
        return woken;
    }

    /**
     * Queues a keep-alive, carrying the position for joined subscriptions, for the subscriptions in
     * one of {@code slices} slices. Spreading heartbeats over the interval spreads the writes that
     * discover vanished clients, so the container sees a trickle of closes, not a burst.
     */
    void heartbeat(int slice) {
        wakeInChunks(queueHeartbeats(slice), 0);
    }

    private synchronized List<Subscription> queueHeartbeats(int slice) {
        List<Subscription> woken = new ArrayList<>();
        for (Subscription s : slices.get(slice)) {
            if (s.heartbeat(joined.contains(s) ? last : -1)) woken.add(s);
        }
        return woken;
    }

    private Set<Subscription> sliceOf(Subscription s) {
        return slices.get((int) (s.number % HEARTBEAT_SLICES));
    }

    /** Ends the subscriptions opened with one session (it signed out). */
    synchronized void endSession(long principalId, String tokenHash, Subscription.End reason) {
        Set<Subscription> mine = byPrincipal.get(principalId);
        if (mine == null) return;
        for (Subscription s : List.copyOf(mine)) {
            if (s.viewer.tokenHash().equals(tokenHash)) end(s, reason);
        }
    }

    /** Ends every subscription opened with one of {@code tokenHashes} (sessions found dead). */
    synchronized void endSessions(Set<String> tokenHashes, Subscription.End reason) {
        for (Subscription s : List.copyOf(registered)) {
            if (tokenHashes.contains(s.viewer.tokenHash())) end(s, reason);
        }
    }

    synchronized void endPrincipal(long principalId, Subscription.End reason) {
        Set<Subscription> mine = byPrincipal.get(principalId);
        if (mine != null) for (Subscription s : List.copyOf(mine)) end(s, reason);
    }

    synchronized void endAll(Subscription.End reason) {
        for (Subscription s : List.copyOf(registered)) end(s, reason);
    }

    /** The sessions behind the open subscriptions, to check they are still valid. */
    synchronized Set<String> tokens() {
        Set<String> tokens = new HashSet<>();
        for (Subscription s : registered) tokens.add(s.viewer.tokenHash());
        return tokens;
    }

    private static void offer(Subscription s, Event e, List<Subscription> woken, List<Subscription> lagging) {
        s.offeredSeq = e.seq();
        if (!s.wants(e.change())) {
            if (s.skip(e.seq())) woken.add(s);
            return;
        }
        switch (s.deliver(e)) {
            case WAKE -> woken.add(s);
            case FULL -> lagging.add(s);
            case QUEUED -> { }
        }
    }

    private void end(Subscription s, Subscription.End reason) {
        remove(s);
        if (s.end(reason) && reason == Subscription.End.LAGGING) metrics.clientCut();
    }

    /** Operators see everyone unless they filter by staff; everyone else sees only themselves. */
    private static Set<Long> staffKeys(Subscription s) {
        return s.viewer.operator() ? s.filter.staffIds() : Set.of(s.viewer.id());
    }

    private void index(Subscription s) {
        joined.add(s);
        Set<Long> keys = staffKeys(s);
        if (keys == null) {
            unrestricted.add(s);
        } else {
            for (Long k : keys) byStaff.computeIfAbsent(k, x -> new HashSet<>()).add(s);
        }
    }

    private void unindex(Subscription s) {
        Set<Long> keys = staffKeys(s);
        if (keys == null) {
            unrestricted.remove(s);
            return;
        }
        for (Long k : keys) {
            Set<Subscription> set = byStaff.get(k);
            if (set != null && set.remove(s) && set.isEmpty()) byStaff.remove(k);
        }
    }
}
