package com.royalcare.scheduler.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live sessions this process has read, so a request or a stream opening need not read the session and its account
 * again (issue 14: a quarter of what opening a stream cost). Exact only where this process is the only one writing
 * sessions ({@code Database.soleWriter}): {@link SessionStore} drops an entry wherever it changes the row, after the statement and again
 * after its commit. A read that started before a drop is never stored (the generation moved on), so an entry can
 * never hold a state older than the last change made to it.
 */
final class SessionCache {

    /** What a live session was when read; whether it is still live depends on the time it is asked. */
    record Entry(Principal principal, Instant expiresAt, Instant lastSeen) {
    }

    /** Enough for every screen of a large business; beyond it, sessions are read as before. */
    private static final int MAX_ENTRIES = 50_000;

    private final Map<String, Entry> byTokenHash = new ConcurrentHashMap<>();
    private long generation; // guarded by this

    Entry get(String tokenHash) {
        return byTokenHash.get(tokenHash);
    }

    /** Taken before reading a session from the database, to hand to {@link #put}. */
    synchronized long generation() {
        return generation;
    }

    /** Keeps what was read, unless anything was dropped since {@code readAt} was taken (the read may predate it). */
    synchronized void put(String tokenHash, Entry e, long readAt) {
        if (generation == readAt && byTokenHash.size() < MAX_ENTRIES) byTokenHash.put(tokenHash, e);
    }

    synchronized void drop(String tokenHash) {
        generation++;
        byTokenHash.remove(tokenHash);
    }

    synchronized void dropAccount(long staffId) {
        generation++;
        byTokenHash.values().removeIf(e -> e.principal().id() == staffId);
    }

    /** Forgets sessions no longer live by time at {@code now} (housekeeping; a stale entry is never answered anyway). */
    void dropEndedBy(Instant now, Duration idle) {
        byTokenHash.values().removeIf(e -> !e.expiresAt().isAfter(now) || !e.lastSeen().plus(idle).isAfter(now));
    }
}
