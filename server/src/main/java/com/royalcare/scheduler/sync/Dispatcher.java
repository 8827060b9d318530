package com.royalcare.scheduler.sync;

import com.royalcare.scheduler.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single thread that feeds the hub, strictly in seq order and without gaps.
 *
 * <p>Inputs: changes committed on this node (from the change log's after-commit callback, which
 * can arrive out of order when transactions commit back to back), and wake-ups (a NOTIFY from
 * another node, or the periodic safety read). A change that arrives ahead of a gap is held back;
 * the gap is filled by reading the log, which is the truth: because seqs are taken in commit order,
 * a change with seq N being committed means every seq below N is committed and readable.
 *
 * <p>The usual case, a local commit that is next in line while the dispatcher is idle, is published
 * right on the committing thread: each thread hand-off costs a wake-up (0.1–0.6 ms on this kind of
 * virtual machine), and this saves one on every write. Whoever publishes holds {@code role}, so
 * publishing stays strictly ordered whichever thread does it.
 */
final class Dispatcher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int PAGE = 1000;
    private static final long RETRY_AFTER_FAILURE_MS = 200;

    /** A hint that the log may hold changes up to {@code seq} (0: read anyway). */
    private record Wake(long seq) {
    }

    /** A change committed on this node, and when its after-commit callback ran (precise, unlike the stored time). */
    private record Local(Change change, Instant committed) {
    }

    private static final Object STOP = new Object();

    private final Database db;
    private final ChangeLog log;
    private final Hub hub;
    private final SyncMetrics metrics;
    private final long safetyReadMs;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final ReentrantLock role = new ReentrantLock();
    // Guarded by `role`:
    private final TreeMap<Long, Local> early = new TreeMap<>();
    private long last = -1; // -1 until the dispatcher thread has taken the hub's starting position
    private volatile boolean running = true;

    Dispatcher(Database db, ChangeLog log, Hub hub, SyncMetrics metrics, long safetyReadMs) {
        this.db = db;
        this.log = log;
        this.hub = hub;
        this.metrics = metrics;
        this.safetyReadMs = safetyReadMs;
    }

    /** A change committed on this node (called on the writer's thread right after commit; never blocks). */
    void committed(Change c) {
        Instant now = Instant.now();
        if (role.tryLock()) {
            try {
                if (last >= 0 && c.seq() <= last) return; // the log was read past it already
                if (last >= 0 && c.seq() == last + 1 && inbox.isEmpty()) {
                    publish(c, now);
                    publishContiguous();
                    return;
                }
            } catch (RuntimeException e) {
                // Never fail the caller's already committed write: the dispatcher thread re-reads the log.
                LOG.warn("Live sync could not publish seq {} on the committing thread; the dispatcher will retry", c.seq(), e);
                last = hub.last();
                early.headMap(last, true).clear();
                inbox.add(new Wake(0));
                return;
            } finally {
                role.unlock();
            }
        }
        inbox.add(new Local(c, now));
    }

    /** The log may have grown beyond what this node has seen (another node committed {@code seq}). */
    void wake(long seq) {
        inbox.add(new Wake(seq));
    }

    void stop() {
        running = false;
        inbox.add(STOP);
    }

    @Override
    public void run() {
        role.lock();
        try {
            last = hub.last();
        } finally {
            role.unlock();
        }
        long nextRead = System.nanoTime();
        boolean failing = false;
        while (running) {
            Object msg;
            try {
                long waitMs = failing ? RETRY_AFTER_FAILURE_MS
                        : Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextRead - System.nanoTime()));
                msg = inbox.poll(waitMs, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            role.lock();
            try {
                boolean read = msg == null;
                while (msg != null) {
                    read |= accept(msg);
                    msg = inbox.poll();
                }
                publishContiguous();
                if (!early.isEmpty()) read = true; // a gap: something committed that we have not seen yet
                if (read && running) {
                    readLog();
                    nextRead = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(safetyReadMs);
                }
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) LOG.warn("Live sync could not read or publish the change log; retrying until it can", e);
                failing = true;
                last = hub.last(); // carry on from what the hub really published
                early.headMap(last, true).clear();
            } finally {
                role.unlock();
            }
        }
    }

    private boolean accept(Object msg) {
        if (msg instanceof Local l) {
            if (l.change().seq() > last) early.put(l.change().seq(), l);
            return false;
        }
        if (msg instanceof Wake w) return w.seq() == 0 || (w.seq() > last && !early.containsKey(w.seq()));
        return false;
    }

    private void publishContiguous() {
        Local next;
        while ((next = early.remove(last + 1)) != null) publish(next.change(), next.committed());
        early.headMap(last, true).clear();
    }

    private void readLog() {
        while (true) {
            List<Change> page = db.read(h -> log.readAfter(h, last, PAGE));
            for (Change c : page) {
                if (c.seq() != last + 1) {
                    // Cannot happen while seqs are gap-free; say so loudly rather than stall the feed forever.
                    LOG.error("Change log gap: expected seq {}, found {}", last + 1, c.seq());
                    hub.startAt(c.seq() - 1);
                    last = c.seq() - 1;
                }
                Local local = early.remove(c.seq());
                if (local != null) publish(local.change(), local.committed());
                else publish(c, c.at());
            }
            if (page.size() < PAGE) break;
        }
        publishContiguous();
    }

    private void publish(Change c, Instant committed) {
        hub.publish(Event.of(c, committed));
        last = c.seq();
        metrics.published();
    }
}
