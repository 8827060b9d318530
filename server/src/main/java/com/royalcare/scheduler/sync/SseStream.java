package com.royalcare.scheduler.sync;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open {@code text/event-stream} response, written with the Servlet non-blocking API: no thread
 * waits on it. Whoever has something to send (the hub publishing, a heartbeat, the socket becoming
 * writable again) calls {@link #signal()}; one "pump" at a time then writes while
 * {@link HttpOutput#isReady()} says the socket takes more, and returns as soon as it does
 * not — the container calls {@link #onWritePossible()} when it does again. A client that stops
 * reading therefore holds no thread, only its bounded queue, and is cut when that overflows.
 *
 * <p>Only the greeting goes through the servlet output, which commits the response's head. After
 * it, an HTTP/1.1 stream writes each batch as one chunk ({@link Chunks}) straight to its connection
 * ({@link EndPoint#write}, this object the callback), with the same one-write-at-a-time rule: the
 * servlet and HTTP layers cost more CPU per delivery than the socket write itself (issue 14), and
 * a live event's chunk is rendered once for every stream ({@link Event#chunked()}). Jetty writes
 * nothing else until the response completes, and then only the last chunk, after the stream's own
 * last write has finished.
 */
final class SseStream implements WriteListener, AsyncListener, Callback, Subscription.Waker {

    private static final Logger LOG = LoggerFactory.getLogger(SseStream.class);
    private static final int BATCH = 64;
    /**
     * Only bounds how Jetty slices one write of ours: streams write ByteBuffers, which bypass Jetty's
     * aggregation buffer (never allocated, so the size costs no memory); a batch larger than this goes
     * out in pieces of this size.
     */
    private static final int OUTPUT_BUFFER = 64 * 1024;
    /**
     * A comment for proxies and a named event with empty data for the browser: EventSource fires no
     * event for comments, so only {@code event: heartbeat} lets a page see that the stream is alive.
     */
    private static final byte[] HEARTBEAT = ": heartbeat\nevent: heartbeat\ndata: {}\n\n".getBytes(StandardCharsets.US_ASCII);

    /** What the stream needs from the rest of sync. */
    interface Owner {
        /** Reads the next page of history for a catching-up stream (blocking: called on an I/O thread). */
        Replay.Start nextPage(Subscription s, long cursor);

        /** The stream has ended; forget it. */
        void closed(SseStream stream);
    }

    private final Subscription sub;
    private final Owner owner;
    private final Executor writers;
    private final Executor io;
    private final SyncMetrics metrics;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean fetching = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private volatile HttpOutput out;
    private volatile EndPoint endPoint;
    private volatile boolean writing; // a write straight to the connection has yet to complete
    private volatile long cursor = -1; // catching up from the database after this seq; -1 once live

    // Touched only by the pump (one thread at a time, handed over through `wip`). An idle stream
    // keeps no buffers: each write renders into short-lived ones.
    private ByteBuffer greeting;
    private long lastId;
    private boolean ending;
    private Boolean direct; // null until the greeting is out; then whether to write chunks straight to the connection

    SseStream(Subscription sub, Owner owner, Executor writers, Executor io, SyncMetrics metrics) {
        this.sub = sub;
        this.owner = owner;
        this.writers = writers;
        this.io = io;
        this.metrics = metrics;
        sub.onWake(this);
    }

    Subscription subscription() {
        return sub;
    }

    /**
     * Starts writing: the greeting ({@code retry:}, the {@code hello} event with the heartbeat
     * interval, a comment, and the starting {@code id:} when the client gave none), then whatever the subscription queues. The returned future completes when
     * the stream has ended, which lets Javalin complete the response.
     */
    CompletableFuture<Void> open(HttpServletRequest req, HttpServletResponse res, Replay.Start start, long retryMs,
                                 long heartbeatMs, int sendBuffer) throws IOException {
        // `hello` first, in a block of its own without an id (EventSource's last id stays as it was):
        // the client learns the heartbeat interval, and a stream silent for two of them is dead.
        String hello = "retry: " + retryMs + "\nevent: hello\ndata: {\"heartbeatMs\":" + heartbeatMs + "}\n\n: connected\n";
        if (start instanceof Replay.Live live) {
            lastId = live.position();
            if (live.atHead()) hello += "id: " + live.position() + "\n";
        } else if (start instanceof Replay.CatchingUp c) {
            cursor = c.cursor();
        }
        greeting = ByteBuffer.wrap((hello + "\n").getBytes(StandardCharsets.US_ASCII));
        AsyncContext async = req.getAsyncContext();
        async.setTimeout(0);
        async.addListener(this);
        endPoint = endPointOf(req);
        // A fixed kernel send buffer. Left alone, Linux grows it to megabytes for a busy stream, and a
        // client reading too slowly goes unnoticed for minutes while the kernel holds its backlog;
        // small, the backlog stays in the bounded queue here, which cuts the client.
        if (endPoint != null && sendBuffer > 0) setSocketOption(endPoint, StandardSocketOptions.SO_SNDBUF, sendBuffer);
        // A write timeout. A healthy stream writes at least a heartbeat every interval, and each write
        // that reaches the socket resets the connection's idle timer; when the client has vanished
        // and the socket stops taking bytes, the pending write fails after this long and the stream
        // ends (onError). Without it a stuck write waits for the kernel's own retransmission timeout
        // (minutes).
        if (endPoint != null) endPoint.setIdleTimeout(writeTimeout(heartbeatMs));
        // Jetty fails a pending write of its own when that timeout expires, but not one made straight to
        // the connection: while a request is in async wait it ignores the timeout unless a listener asks.
        // A write of ours still pending then is the stuck client above: cut it, as a lagging one.
        if (endPoint != null) {
            ServletContextRequest.getServletContextRequest(req).addIdleTimeoutListener(timeout -> {
                if (writing) abort();
                return false;
            });
        }
        res.setBufferSize(OUTPUT_BUFFER);
        // Jetty's own output stream: its write(ByteBuffer) sends the buffer as it is, in one write, with
        // no copy into an aggregation buffer and no separate flush (issue 14: that path was most of the
        // per-delivery CPU).
        out = (HttpOutput) res.getOutputStream();
        out.setWriteListener(this); // the container calls onWritePossible() as soon as it may write
        return done;
    }

    /** One and a half heartbeat intervals: one interval always brings a write, half of one is the margin. */
    static long writeTimeout(long heartbeatMs) {
        return heartbeatMs + heartbeatMs / 2;
    }

    /** Sets an option on the stream's socket (best effort: a failure only costs the tuning). */
    private static <T> void setSocketOption(EndPoint endPoint, SocketOption<T> option, T value) {
        try {
            if (endPoint.getTransport() instanceof NetworkChannel channel) channel.setOption(option, value);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not set {} on an event stream's socket", option, e);
        }
    }

    /** The connection under {@code req}, kept for the stream's life: unlike the request, it is never recycled for another. */
    private static EndPoint endPointOf(HttpServletRequest req) {
        try {
            return ServletContextRequest.getServletContextRequest(req).getConnectionMetaData().getConnection().getEndPoint();
        } catch (RuntimeException e) {
            LOG.debug("Cannot find the event stream's connection", e);
            return null;
        }
    }

    /** Something to send (or the end): make sure a pump runs. */
    void signal() {
        if (wip.getAndIncrement() == 0) writers.execute(this::drainLoop);
    }

    @Override
    public void wake() {
        signal();
    }

    /** Pumps on the caller's thread (the publisher's) unless a pump is already running; never blocks. */
    @Override
    public void wakeHere() {
        if (wip.getAndIncrement() == 0) drainLoop();
    }

    @Override
    public void onWritePossible() {
        if (wip.getAndIncrement() == 0) drainLoop();
    }

    @Override
    public void onError(Throwable t) {
        finish();
    }

    /** A write straight to the connection completed (on whichever thread completed it). */
    @Override
    public void succeeded() {
        writing = false;
        onWritePossible();
    }

    /** A write straight to the connection failed: the client is gone or stopped reading. */
    @Override
    public void failed(Throwable x) {
        LOG.debug("Event stream write failed", x);
        writing = false;
        finish();
    }

    /** The completion only renders the next batch and starts its write, which never blocks. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public void onComplete(AsyncEvent event) {
        finish();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        finish();
    }

    @Override
    public void onError(AsyncEvent event) {
        finish();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not used
    }

    private void drainLoop() {
        int missed = 1;
        while (true) {
            pump();
            missed = wip.addAndGet(-missed);
            if (missed == 0) return;
        }
    }

    /** Writes as long as there is something to write and the socket accepts it. Never blocks. */
    private void pump() {
        HttpOutput o = out;
        if (o == null || finished.get()) return;
        if (sub.ended() == Subscription.End.LAGGING) {
            abort(); // typically a write is pending on a socket the client stopped reading
            return;
        }
        try {
            if (Boolean.TRUE.equals(direct)) {
                pumpDirect();
                return;
            }
            while (o.isReady()) {
                if (direct == null && greeting == null) { // the head and the greeting have gone out
                    direct = chunkedHttp1(endPoint);
                    if (direct) {
                        pumpDirect();
                        return;
                    }
                }
                ByteBuffer bytes = nextChunk(false);
                if (bytes != null) {
                    o.write(bytes); // sent at once; isReady() is false until the socket took it
                } else {
                    nothingToWrite();
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Event stream write failed", e);
            finish();
        }
    }

    /** {@link #pump()} for a stream writing chunks straight to its connection. */
    private void pumpDirect() {
        while (!writing) {
            ByteBuffer chunk = nextChunk(true);
            if (chunk == null) {
                nothingToWrite();
                return;
            }
            writing = true;
            endPoint.write(this, chunk); // may complete (succeeded()) before it returns
        }
    }

    private void nothingToWrite() {
        if (ending) finish();
        else fetchMoreHistory();
    }

    /**
     * Whether the response is HTTP/1.1 with chunked coding, so a stream may frame its own chunks:
     * the greeting, never empty, went out as the first chunk. Anything else (HTTP/1.0, another
     * connection type) keeps writing through the servlet output.
     */
    private static boolean chunkedHttp1(EndPoint endPoint) {
        return endPoint != null && endPoint.getConnection() instanceof HttpConnection http
                && http.getGenerator().isCommitted() && http.getGenerator().isChunking();
    }

    /**
     * Renders up to {@link #BATCH} queued items into one write, or null when there is nothing to
     * send; as one HTTP/1.1 chunk when {@code chunk}.
     */
    private ByteBuffer nextChunk(boolean chunk) {
        if (greeting != null) {
            ByteBuffer g = greeting;
            greeting = null;
            return g;
        }
        if (ending) return null;
        Subscription.Item first = sub.poll();
        if (first == null) return null;
        if (first instanceof Event e && sub.isEmpty()) { // the usual live case: send the shared frame as is
            lastId = e.seq();
            metrics.delivered(e, 1);
            return chunk ? e.chunked() : e.wire();
        }
        List<Subscription.Item> batch = new ArrayList<>();
        batch.add(first);
        sub.drain(batch, BATCH - 1);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
        Event oldest = null;
        int events = 0;
        for (Subscription.Item item : batch) {
            if (item instanceof Event e) {
                e.appendTo(buffer);
                lastId = e.seq();
                if (oldest == null) oldest = e;
                events++;
            } else if (item instanceof Subscription.Mark m) {
                if (m.seq() > lastId) {
                    lastId = m.seq();
                    ascii(buffer, "id: " + m.seq() + "\n\n");
                }
            } else if (item instanceof Subscription.Heartbeat h) {
                if (h.seq() > lastId) {
                    lastId = h.seq();
                    ascii(buffer, "id: " + h.seq() + "\n");
                }
                buffer.writeBytes(HEARTBEAT);
            } else if (item instanceof Subscription.Reset r) {
                lastId = r.seq();
                ascii(buffer, "id: " + r.seq() + "\nevent: reset\ndata: {\"seq\":" + r.seq() + "}\n\n");
            } else if (item instanceof Subscription.Ended end) {
                ending = true;
                if (end.reason().frameReason != null) {
                    ascii(buffer, "event: closed\ndata: {\"reason\":\"" + end.reason().frameReason + "\"}\n\n");
                }
                break;
            }
        }
        if (oldest != null) metrics.delivered(oldest, events);
        if (buffer.size() == 0) return null;
        return ByteBuffer.wrap(chunk ? Chunks.frame(buffer.toByteArray()) : buffer.toByteArray());
    }

    private static void ascii(ByteArrayOutputStream buffer, String s) {
        buffer.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** A stream resuming from far back reads history a page at a time, only as fast as the client takes it. */
    private void fetchMoreHistory() {
        long c = cursor;
        if (c < 0 || !fetching.compareAndSet(false, true)) return;
        io.execute(() -> {
            try {
                Replay.Start next = owner.nextPage(sub, c);
                cursor = next instanceof Replay.CatchingUp more ? more.cursor() : -1;
            } catch (RuntimeException e) {
                LOG.warn("Cannot read history for a resuming stream; closing it so the client retries", e);
                sub.end(Subscription.End.ERROR);
            } finally {
                fetching.set(false);
                signal();
            }
        });
    }

    /**
     * Cuts a client that cannot keep up: drop the connection (its unsent bytes with it); it resumes
     * from its last id. Linger 0 makes the close a reset: a graceful close would first trickle out
     * what the kernel still holds, and a client reading at 1 KB/s would notice the cut only minutes
     * later (measured: 176 KB still queued for it), while the server kept that buffer.
     *
     * <p>Only the connection is closed here. Jetty then fails the pending write and ends the request
     * through its own callbacks ({@link #onError}), which is when the response may be completed.
     * Aborting the servlet channel directly and completing the response ourselves let Javalin
     * finish a request Jetty had already recycled, and its error handling then looped on that
     * request forever (found by the convergence drill with SYNC_CLIENT_QUEUE=20).
     */
    private void abort() {
        EndPoint e = endPoint;
        if (e == null) {
            finish();
            return;
        }
        setSocketOption(e, StandardSocketOptions.SO_LINGER, 0);
        e.close(new IOException("client too slow, cut"));
    }

    /** Ends the response (idempotent, any thread). */
    private void finish() {
        if (!finished.compareAndSet(false, true)) return;
        sub.end(Subscription.End.GONE);
        owner.closed(this);
        done.complete(null);
    }
}
