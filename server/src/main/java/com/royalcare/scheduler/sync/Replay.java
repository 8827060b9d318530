package com.royalcare.scheduler.sync;

import com.royalcare.scheduler.db.Database;

import java.util.List;

/**
 * Where a new subscription starts: at the head; after a resume point, replaying from memory or, for
 * older points, from the database page by page; or with a reset when history no longer reaches back
 * that far. Shared by the event stream and polling, so both have exactly the same semantics.
 */
final class Replay {

    static final int PAGE = 500;

    sealed interface Start {
    }

    /** Joined the live feed; {@code atHead} when the client gave no resume point. */
    record Live(long position, boolean atHead) implements Start {
    }

    /** Replayed one page from the database up to {@code cursor}; call {@link #next} once it is sent. */
    record CatchingUp(long cursor) implements Start {
    }

    /** History after the resume point is gone: the client must refetch; the feed continues after {@code position}. */
    record Reset(long position) implements Start {
    }

    private final Database db;
    private final ChangeLog log;
    private final Hub hub;
    private final SyncMetrics metrics;

    Replay(Database db, ChangeLog log, Hub hub, SyncMetrics metrics) {
        this.db = db;
        this.log = log;
        this.hub = hub;
        this.metrics = metrics;
    }

    /** Starts {@code s} (already registered with the hub) after {@code since}, or at the head when null. */
    Start start(Subscription s, Long since) {
        if (since == null) {
            // The committed head: this node may not have published its very latest changes yet.
            long head = log.head(db);
            return hub.tryJoin(s, head) ? new Live(head, true) : new Live(hub.joinAtHead(s, false), true);
        }
        metrics.resumed();
        if (since > hub.last() && since > log.head(db)) return reset(s); // a position this log never had
        if (hub.tryJoin(s, since)) return new Live(since, false);
        return next(s, since);
    }

    /** Replays the next page after {@code cursor} from the database into the backlog. */
    Start next(Subscription s, long cursor) {
        return s.viewer.operator() ? nextOfAll(s, cursor) : nextVisible(s, cursor);
    }

    /** Operators see nearly everything: read the log itself, where a hole after the cursor means it was pruned. */
    private Start nextOfAll(Subscription s, long cursor) {
        List<Change> page = db.read(h -> log.readAfter(h, cursor, PAGE));
        if (page.isEmpty()) {
            return hub.tryJoin(s, cursor) ? new Live(cursor, false) : reset(s);
        }
        if (page.get(0).seq() != cursor + 1) return reset(s); // pruned: seqs are gap-free, so a hole means history is gone
        for (Change c : page) s.replay(c);
        long last = page.get(page.size() - 1).seq();
        return hub.tryJoin(s, last) ? new Live(last, false) : new CatchingUp(last);
    }

    private record Visible(long head, long oldest, List<Change> page) {
    }

    /**
     * Everyone else reads only what they may see, through the audience index, up to the head read in
     * the same transaction; the position then moves past everything up to it, seen or not.
     */
    private Start nextVisible(Subscription s, long cursor) {
        Visible v = db.read(h -> {
            long head = log.head(h);
            return new Visible(head, log.oldestKept(h), log.readVisibleAfter(h, s.viewer.id(), cursor, head, PAGE));
        });
        if (cursor < v.head() && (v.oldest() == 0 || cursor + 1 < v.oldest())) return reset(s); // history after the cursor is gone
        for (Change c : v.page()) s.replay(c);
        long through = v.page().size() == PAGE ? v.page().get(PAGE - 1).seq() : Math.max(cursor, v.head());
        s.replayedThrough(through);
        return hub.tryJoin(s, through) ? new Live(through, false) : new CatchingUp(through);
    }

    private Start reset(Subscription s) {
        metrics.reset();
        return new Reset(hub.joinAtHead(s, true));
    }
}
