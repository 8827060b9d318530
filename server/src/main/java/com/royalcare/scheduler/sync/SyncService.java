package com.royalcare.scheduler.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.royalcare.scheduler.config.SyncSettings;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.Json;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live sync, put together: the change log, the dispatcher that feeds the hub in seq order, the hub
 * that fans out, event streams and long polls, the PostgreSQL listener that hears other nodes,
 * heartbeats with session re-checks, and history pruning. {@link #start} and {@link #close} run
 * with the web server's.
 */
public final class SyncService implements AutoCloseable, SseStream.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);
    static final int MAX_POLL_EVENTS = 1000;
    private static final int MAX_POLL_PAGES = 20;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    /** The answer to a poll: continue from {@code seq}. */
    public record Changes(long seq, List<Change> events, boolean reset) {
    }

    private final Database db;
    private final SyncSettings settings;
    private final Duration retention;
    private final long minChanges;
    private final LiveSessions liveSessions;
    private final SyncMetrics metrics;
    private final Hub hub;
    private final ChangeLog log;
    private final Dispatcher dispatcher;
    private final Replay replay;
    private final PgListener listener;
    private Thread listenerThread;
    private final ExecutorService writers;
    private final ExecutorService io;
    private final ScheduledExecutorService timer;
    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final Object streamsChanged = new Object();
    private volatile boolean closing;
    private boolean started;
    private long heartbeatTicks; // timer thread only

    /**
     * @param liveSessions which sessions behind open streams are still valid (re-checked once per heartbeat interval)
     */
    private final java.time.Clock clock; // what "older than the retention window" is measured from

    public SyncService(Database db, SyncSettings settings, Duration retention, long minChanges, MeterRegistry registry,
                       LiveSessions liveSessions, java.time.Clock clock) {
        this.db = db;
        this.clock = clock;
        this.settings = settings;
        this.retention = retention;
        this.minChanges = minChanges;
        this.liveSessions = liveSessions;
        this.metrics = new SyncMetrics(registry);
        this.writers = pool(Math.max(2, Runtime.getRuntime().availableProcessors()), "sync-writer");
        this.hub = new Hub(settings.ringSize(), 0, metrics, writers);
        boolean postgres = db.vendor() == Database.Vendor.POSTGRESQL;
        this.log = new ChangeLog(this::committed, postgres);
        this.dispatcher = new Dispatcher(db, log, hub, metrics, settings.logPoll().toMillis());
        this.replay = new Replay(db, log, hub, metrics);
        this.listener = postgres ? new PgListener(db.dataSource(), dispatcher::wake) : null;
        this.io = pool(2, "sync-io");
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("sync-timer"));
    }

    /** The change log features append to; its commits feed this service. */
    public ChangeLog changeLog() {
        return log;
    }

    /** Starts fan-out from the current head of the log (a restarted node continues from there). */
    public synchronized void start() {
        if (started) return;
        started = true;
        hub.startAt(db.read(log::head));
        daemon("sync-dispatcher").newThread(dispatcher).start();
        if (listener != null) {
            listenerThread = daemon("sync-pg-listener").newThread(listener);
            listenerThread.start();
        }
        long tick = Math.max(1, settings.heartbeat().toMillis() / Hub.HEARTBEAT_SLICES);
        timer.scheduleAtFixedRate(this::heartbeat, tick, tick, TimeUnit.MILLISECONDS);
        long prune = settings.pruneInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> io.execute(this::pruneQuietly), Math.min(prune, 60_000), prune, TimeUnit.MILLISECONDS);
    }

    /** Sign-out: closes the streams opened with that session on this node at once (other nodes: at their next session check). */
    public void signedOut(long accountId, String tokenHash) {
        hub.endSession(accountId, tokenHash, Subscription.End.SIGNED_OUT);
    }

    /**
     * Closes every stream of one account on this node at once. To reach every node, a feature also
     * puts the account in its change's {@link NewChange#endStreams()}.
     */
    public void endStreamsOf(long accountId, StreamEnd.Reason reason) {
        hub.endPrincipal(accountId, reason.end);
    }

    public long head() {
        return log.head(db);
    }

    /** Appends a {@code global_refresh}: "refetch this scope" (one staff member, one date, or everything). */
    public Change refresh(long actorId, Long staffId, LocalDate date) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        if (staffId != null) data.put("staffId", staffId);
        if (date != null) data.put("date", date.toString());
        Audience audience = staffId == null ? Audience.everyone() : Audience.of(staffId);
        return db.write(h -> log.append(h, new NewChange(Viewer.GLOBAL_REFRESH, actorId, audience,
                date == null ? List.of() : List.of(date), data, null)));
    }

    /** Drops history older than the retention window, always keeping the newest {@code minChanges}. */
    public int pruneHistory() {
        Instant before = clock.instant().minus(retention);
        return db.write(h -> log.prune(h, before, minChanges));
    }

    void requireOpen() {
        if (closing) throw new ApiException(503, "SHUTTING_DOWN", "The server is restarting; please retry in a moment.");
    }

    /** Refuses a stream beyond the account's limit, before the stream opens (so the client sees a plain 429). */
    void requireStreamRoom(Viewer viewer) {
        if (hub.countOf(viewer.id()) >= settings.streamsPerUser()) {
            throw new ApiException(429, "TOO_MANY_STREAMS", "You already have " + settings.streamsPerUser()
                    + " live connections open; close some tabs or devices and try again.", Map.of(), Map.of("limit", settings.streamsPerUser()));
        }
    }

    /** Opens an event stream on an already started async request; the future completes when the stream ends. */
    CompletableFuture<Void> stream(HttpServletRequest req, HttpServletResponse res, Viewer viewer, Filter filter, Long since) {
        requireOpen();
        Subscription sub = new Subscription(viewer, filter, settings.clientQueue(), true);
        SseStream stream = new SseStream(sub, this, writers, io, metrics);
        streams.add(stream);
        metrics.streamOpened();
        hub.register(sub);
        try {
            Replay.Start start = replay.start(sub, since);
            return stream.open(req, res, start, settings.retry().toMillis(), settings.heartbeat().toMillis(), settings.sendBuffer());
        } catch (IOException e) {
            closed(stream);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closed(stream);
            throw e;
        }
    }

    @Override
    public Replay.Start nextPage(Subscription s, long cursor) {
        return replay.next(s, cursor);
    }

    @Override
    public void closed(SseStream stream) {
        hub.remove(stream.subscription());
        if (streams.remove(stream)) {
            metrics.streamClosed();
            synchronized (streamsChanged) {
                streamsChanged.notifyAll();
            }
        }
    }

    /**
     * A poll: answers at once with what is there after {@code since} (or the head when null), else
     * waits up to {@code waitSeconds} for the first matching change. The future never completes on
     * the dispatcher thread.
     */
    CompletableFuture<Changes> poll(Viewer viewer, Filter filter, Long since, int waitSeconds) {
        requireOpen();
        Subscription sub = new Subscription(viewer, filter, Integer.MAX_VALUE, false);
        hub.register(sub);
        try {
            Replay.Start start = replay.start(sub, since);
            for (int pages = 1; start instanceof Replay.CatchingUp c && sub.isEmpty() && pages < MAX_POLL_PAGES; pages++) {
                start = replay.next(sub, c.cursor());
            }
            if (start instanceof Replay.Reset r) {
                hub.remove(sub);
                return CompletableFuture.completedFuture(new Changes(r.position(), List.of(), true));
            }
            boolean answerNow = since == null || waitSeconds == 0 || !sub.isEmpty() || start instanceof Replay.CatchingUp;
            if (answerNow) {
                Changes answer = collect(sub);
                boolean complete = since == null || start instanceof Replay.CatchingUp;
                return CompletableFuture.completedFuture(complete ? answer : throughCommitted(sub, answer));
            }
            return waitFor(sub, waitSeconds);
        } catch (RuntimeException e) {
            hub.remove(sub);
            throw e;
        }
    }

    private CompletableFuture<Changes> waitFor(Subscription sub, int waitSeconds) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        AtomicBoolean fired = new AtomicBoolean();
        Runnable fire = () -> {
            if (fired.compareAndSet(false, true)) writers.execute(() -> ready.complete(null));
        };
        sub.onWake(fire::run);
        ScheduledFuture<?> timeout = timer.schedule(fire, waitSeconds, TimeUnit.SECONDS);
        metrics.pollWaiting(1);
        if (!sub.isEmpty() || sub.ended() != null) fire.run(); // arrived before the wake-up was in place
        return ready.thenApply(ignored -> {
            timeout.cancel(false);
            metrics.pollWaiting(-1);
            return collect(sub);
        });
    }

    /**
     * An immediate answer can come while this node has not yet published changes that are already
     * committed (the dispatcher publishes a moment after each commit, or after another node's
     * NOTIFY). Reading that short tail from the log makes the answer reach the committed head, so a
     * client polling right after its own acknowledged write gets it. Seqs follow commit order, so
     * the tail after the answer's position is exactly what was missing.
     */
    private Changes throughCommitted(Subscription sub, Changes answer) {
        int room = MAX_POLL_EVENTS - answer.events().size();
        if (room <= 0) return answer;
        List<Change> tail = db.read(h -> log.readAfter(h, answer.seq(), room));
        if (tail.isEmpty()) return answer;
        List<Change> events = new ArrayList<>(answer.events());
        long position = answer.seq();
        for (Change c : tail) {
            if (c.seq() != position + 1) break; // cannot happen with gap-free seqs; never skip past a hole
            if (sub.wants(c)) events.add(c);
            position = c.seq();
        }
        return new Changes(position, events, false);
    }

    /** Stops the poll's subscription and answers with what it queued. */
    private Changes collect(Subscription sub) {
        long position = hub.remove(sub);
        Subscription.End end = sub.ended();
        if (end == Subscription.End.SHUTDOWN) requireOpen();
        if (end != null) throw ApiException.unauthenticated();
        List<Subscription.Item> items = new ArrayList<>();
        sub.drain(items, Integer.MAX_VALUE);
        List<Change> events = new ArrayList<>();
        for (Subscription.Item item : items) {
            if (!(item instanceof Event e)) continue;
            if (events.size() == MAX_POLL_EVENTS) {
                position = events.get(events.size() - 1).seq();
                break;
            }
            events.add(e.change());
        }
        return new Changes(position, events, false);
    }

    private void committed(Change c) {
        dispatcher.committed(c);
    }

    /** One slice of the streams per tick; every stream gets one heartbeat per interval, and sessions are re-checked once per interval. */
    private void heartbeat() {
        int slice = (int) (heartbeatTicks++ % Hub.HEARTBEAT_SLICES);
        hub.heartbeat(slice);
        if (slice == 0) io.execute(this::checkSessions);
    }

    /** Streams whose session has ended elsewhere (sign-out on another node, expiry) close at the next heartbeat. */
    private void checkSessions() {
        try {
            Set<String> tokens = hub.tokens();
            if (tokens.isEmpty()) return;
            Set<String> dead = new HashSet<>(tokens);
            dead.removeAll(liveSessions.stillValid(tokens));
            if (!dead.isEmpty()) hub.endSessions(dead, Subscription.End.SIGNED_OUT);
        } catch (RuntimeException e) {
            LOG.warn("Cannot re-check the sessions of open streams", e);
        }
    }

    private void pruneQuietly() {
        try {
            int removed = pruneHistory();
            if (removed > 0) LOG.info("Pruned {} changes older than {} from the change log", removed, retention);
        } catch (RuntimeException e) {
            LOG.warn("Cannot prune the change log", e);
        }
    }

    int openStreams() {
        return metrics.streamsOpen();
    }

    /** Ends open streams cleanly (each gets a final {@code closed} event), answers waiting polls, and stops the threads. */
    @Override
    public void close() {
        closing = true;
        hub.endAll(Subscription.End.SHUTDOWN);
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        synchronized (streamsChanged) {
            while (!streams.isEmpty() && System.nanoTime() < deadline) {
                try {
                    streamsChanged.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        dispatcher.stop();
        if (listener != null) {
            listener.stop();
            // it checks for stop between waits of 250 ms: let it hand its connection back before the pool closes
            try {
                if (listenerThread != null) listenerThread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdownNow();
        io.shutdownNow();
        writers.shutdown();
        try {
            writers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A fixed pool that, once shut down, drops late work (a wake-up racing the shutdown) instead of throwing at the caller. */
    private static ExecutorService pool(int threads, String name) {
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), daemon(name),
                new ThreadPoolExecutor.DiscardPolicy());
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
