package com.royalcare.loadtest.bench;

import com.royalcare.testkit.SseEvent;
import com.royalcare.testkit.SseParser;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntUnaryOperator;

/**
 * N Server-Sent-Events subscribers and their accounting, independent of the HTTP client that
 * carries them ({@link JettyStreamPool}: Jetty's non-blocking HttpClient, the default;
 * {@link NioStreamPool}: a few selector threads on raw NIO, an independent cross-check with
 * slightly fewer system calls). Both cost about the same CPU per event. Every delivered event is checked for
 * duplicates by its sequence number and matched to its write in the {@link Ledger} with the
 * arrival time of its bytes.
 *
 * <p>Shaped for the issue-5 drills: {@link #dropAll()} + {@link #reopenAll()} is a reconnect
 * storm resuming via {@code Last-Event-ID}; {@link Subscriber#open(String, boolean)} with an old
 * id is a catch-up; a throttled read loop in a subclass is the slow reader.
 */
abstract class StreamPool implements AutoCloseable {

    protected final Target target;
    protected final Ledger ledger;
    protected final Semaphore connecting;
    protected final Subscriber[] subscribers;
    protected volatile boolean closing;
    protected volatile boolean reconnect = true;

    final AtomicInteger streamsOpen = new AtomicInteger();
    final AtomicInteger ready = new AtomicInteger();
    final LongAdder opens = new LongAdder();
    final LongAdder openFailures = new LongAdder();
    final LongAdder endedByServer = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder bytes = new LongAdder();
    private volatile String lastFailure;

    protected StreamPool(Target target, Ledger ledger, int count, int connectConcurrency) {
        this.target = target;
        this.ledger = ledger;
        this.connecting = new Semaphore(connectConcurrency);
        this.subscribers = new Subscriber[count];
    }

    static StreamPool create(String client, Target target, Ledger ledger, int count, int selectors,
                             int connectConcurrency, IntUnaryOperator channelOf) throws Exception {
        StreamPool pool = switch (client) {
            case "nio" -> new NioStreamPool(target, ledger, count, selectors, connectConcurrency);
            case "jetty" -> new JettyStreamPool(target, ledger, count, selectors, connectConcurrency);
            default -> throw new IllegalArgumentException("unknown client " + client);
        };
        for (int i = 0; i < count; i++) {
            pool.subscribers[i] = pool.newSubscriber(i, channelOf.applyAsInt(i));
        }
        return pool;
    }

    protected abstract Subscriber newSubscriber(int index, int channel);

    int size() {
        return subscribers.length;
    }

    /** Opens every stream from the head, at most connectConcurrency handshakes at a time. */
    void openAll(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Subscriber s : subscribers) {
            if (!connecting.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("timed out opening streams: " + streamsOpen.get() + " of "
                        + subscribers.length + " open; last failure: " + lastFailure);
            }
            s.open(null, true);
        }
    }

    /** Subscribers that have received at least one marker event. */
    int ready() {
        return ready.get();
    }

    /** Aborts every stream without reopening it (for a reconnect storm, call {@link #reopenAll()} next). */
    void dropAll() {
        reconnect = false;
        for (Subscriber s : subscribers) {
            s.abort();
        }
    }

    /** Reopens every stream, resuming from its last event id. */
    void reopenAll() {
        reconnect = true;
        for (Subscriber s : subscribers) {
            s.open(s.parser.lastEventId(), false);
        }
    }

    String lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() throws Exception {
        closing = true;
        for (Subscriber s : subscribers) {
            if (s != null) {
                s.abort();
            }
        }
        stop();
    }

    protected abstract void stop() throws Exception;

    /** One stream and its accounting; its events are handled by one thread at a time. */
    abstract class Subscriber implements SseParser.Listener {
        final int index;
        final int channel;
        final SseParser parser = new SseParser(this);
        /** nanoTime when the bytes being parsed were read: the arrival time of their events. */
        protected long arrivalNanos;
        private long lastOrder = -1;
        volatile boolean markerSeen;

        Subscriber(int index, int channel) {
            this.index = index;
            this.channel = channel;
        }

        /** Opens (or reopens) the stream; {@code holdsPermit}: release one connect permit when answered. */
        abstract void open(String lastEventId, boolean holdsPermit);

        abstract void abort();

        protected StreamSpec spec(String lastEventId) {
            parser.resetPartial();
            opens.increment();
            return target.streamSpec(channel, lastEventId);
        }

        /** The server answered the stream request; false (and counted) unless it is a 200. */
        protected boolean answered(int status) {
            if (status != 200) {
                lastFailure = "stream answered HTTP " + status;
                openFailures.increment();
                return false;
            }
            streamsOpen.incrementAndGet();
            return true;
        }

        /**
         * The stream is over. One that was open and not closed by us was ended by the server (e.g.
         * cut for lagging) and resumes from its last id; one that never opened is a failed open.
         */
        protected void ended(boolean wasOpen, String failure) {
            if (wasOpen) {
                streamsOpen.decrementAndGet();
            }
            if (closing || !reconnect) {
                return;
            }
            if (failure != null) {
                lastFailure = failure;
            }
            if (!wasOpen) {
                if (failure != null) {
                    openFailures.increment();
                }
                return;
            }
            endedByServer.increment();
            reconnects.increment();
            open(parser.lastEventId(), false);
        }

        @Override
        public void onEvent(SseEvent event) {
            if (event.type().equals("hello") || event.type().equals("heartbeat")) return; // greeting and keep-alives, not changes
            long order = target.orderOf(event);
            if (order >= 0) {
                if (order <= lastOrder) {
                    ledger.duplicates.increment();
                    return;
                }
                lastOrder = order;
            }
            if (event.type().equals("reset")) {
                ledger.resets.increment();
                return;
            }
            Ledger.Write w = ledger.deliver(target.keyOf(event), channel, arrivalNanos);
            if (w != null && w.appendedEpochMicros == Long.MIN_VALUE) {
                w.appendedEpochMicros = target.appendedEpochMicros(event); // once per write
            }
            if (w != null && w.marker && !markerSeen) {
                markerSeen = true;
                ready.incrementAndGet();
            }
        }
    }
}
