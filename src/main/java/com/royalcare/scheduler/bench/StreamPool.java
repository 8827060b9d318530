package com.royalcare.scheduler.bench;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntUnaryOperator;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * N Server-Sent-Events streams held open on Jetty's non-blocking HttpClient: a handful of
 * selector threads, no thread per connection. Response content is read with a demand loop that
 * runs on the selector thread itself ({@link Invocable.InvocationType#NON_BLOCKING}), parsed
 * incrementally and accounted in the {@link Ledger} with the arrival time of the bytes.
 *
 * <p>Shaped for the issue-5 drills: {@link #dropAll()} + {@link #reopenAll()} is a reconnect
 * storm resuming via {@code Last-Event-ID}; {@link Subscriber#open(String)} with an old id is a
 * catch-up; a throttled {@link Subscriber} demand loop is the slow reader.
 */
final class StreamPool implements AutoCloseable {

    private final Target target;
    private final Ledger ledger;
    private final HttpClient client;
    private final Semaphore connecting;
    private final Subscriber[] subscribers;
    private volatile boolean closing;
    private volatile boolean reconnect = true;

    final AtomicInteger streamsOpen = new AtomicInteger();
    final AtomicInteger ready = new AtomicInteger();
    final LongAdder opens = new LongAdder();
    final LongAdder openFailures = new LongAdder();
    final LongAdder endedByServer = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder bytes = new LongAdder();
    private volatile String lastFailure;

    StreamPool(Target target, Ledger ledger, int count, int selectors, int connectConcurrency,
               IntUnaryOperator channelOf) throws Exception {
        this.target = target;
        this.ledger = ledger;
        this.connecting = new Semaphore(connectConcurrency);
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(selectors);
        QueuedThreadPool pool = new QueuedThreadPool(8, 2);
        pool.setName("bench-streams");
        connector.setExecutor(pool);
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
        // our listeners never block: run them on the selector thread, no hand-off per read
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        client = new HttpClient(transport);
        client.setName("bench-streams");
        client.setExecutor(pool);
        client.setMaxConnectionsPerDestination(count + 64);
        client.setMaxRequestsQueuedPerDestination(count + 64);
        client.setConnectTimeout(30_000);
        client.setIdleTimeout(TimeUnit.MINUTES.toMillis(10)); // the server heartbeats every 15 s
        client.setFollowRedirects(false);
        client.getContentDecoderFactories().clear();
        client.start();
        subscribers = new Subscriber[count];
        for (int i = 0; i < count; i++) {
            subscribers[i] = new Subscriber(i, channelOf.applyAsInt(i));
        }
    }

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

    void resetReady() {
        for (Subscriber s : subscribers) {
            s.markerSeen = false;
        }
        ready.set(0);
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
            s.abort();
        }
        client.stop();
    }

    /** One stream and its per-stream accounting (only touched by the thread reading it). */
    final class Subscriber implements SseParser.Listener {
        final int index;
        final int channel;
        final SseParser parser = new SseParser(this);
        private volatile Request request;
        private long arrivalNanos;
        private long lastOrder = -1;
        volatile boolean markerSeen;
        long events;

        Subscriber(int index, int channel) {
            this.index = index;
            this.channel = channel;
        }

        void open(String lastEventId, boolean holdsPermit) {
            AtomicBoolean permit = new AtomicBoolean(holdsPermit);
            Runnable releasePermit = () -> {
                if (permit.compareAndSet(true, false)) {
                    connecting.release();
                }
            };
            parser.resetPartial();
            Request r = target.streamRequest(client, channel, lastEventId);
            request = r;
            opens.increment();
            r.onResponseContentSource((response, source) -> {
                releasePermit.run();
                if (response.getStatus() != 200) {
                    lastFailure = "stream answered " + response.getStatus();
                    openFailures.increment();
                    response.abort(new IllegalStateException(lastFailure));
                    return;
                }
                streamsOpen.incrementAndGet();
                new Reader(response, source).run();
            });
            r.send(result -> {
                releasePermit.run();
                if (result.getResponse() != null && result.getResponse().getStatus() == 200) {
                    streamsOpen.decrementAndGet();
                }
                if (closing || request != r) {
                    return;
                }
                if (result.isFailed() && !(result.getFailure() instanceof CancellationException)) {
                    lastFailure = String.valueOf(result.getFailure());
                    if (result.getResponse() == null || result.getResponse().getStatus() == 0) {
                        openFailures.increment();
                    }
                }
                endedByServer.increment();
                if (reconnect) {
                    reconnects.increment();
                    open(parser.lastEventId(), false);
                }
            });
        }

        void abort() {
            Request r = request;
            if (r != null) {
                r.abort(new CancellationException("load tool closing the stream"));
            }
        }

        @Override
        public void onEvent(SseEvent event) {
            events++;
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
            if (w != null && w.marker && !markerSeen) {
                markerSeen = true;
                ready.incrementAndGet();
            }
        }

        /** The demand loop: read what is there, then ask to be called back when more arrives. */
        private final class Reader extends Invocable.Task.Abstract {
            private final Response response;
            private final Content.Source source;

            Reader(Response response, Content.Source source) {
                super(Invocable.InvocationType.NON_BLOCKING);
                this.response = response;
                this.source = source;
            }

            @Override
            public void run() {
                while (true) {
                    Content.Chunk chunk = source.read();
                    if (chunk == null) {
                        source.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        response.abort(chunk.getFailure());
                        return;
                    }
                    arrivalNanos = System.nanoTime();
                    bytes.add(chunk.remaining());
                    try {
                        parser.feed(chunk.getByteBuffer());
                    } catch (RuntimeException e) {
                        chunk.release();
                        response.abort(e);
                        return;
                    }
                    boolean last = chunk.isLast();
                    chunk.release();
                    if (last) {
                        return;
                    }
                }
            }
        }
    }
}
