package com.royalcare.scheduler.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stop that loses no request and shows no one a 500. Wraps Javalin's handler in Jetty (so static
 * files and every route are covered) and counts the requests in flight until their response
 * completes (for event streams and long polls, when they end). Once {@link #beginStop} is
 * called, every new request, on a new or a kept-alive connection, gets
 * {@code 503 {"error":{"code":"SHUTTING_DOWN",…}}} with {@code Retry-After} and
 * {@code Connection: close}, so clients and load balancers go elsewhere or come back; requests
 * already running finish ({@link #awaitIdle}).
 */
public final class GracefulStop extends Handler.Wrapper {

    /** Seconds a refused client is told to wait: about how long a restart takes. */
    public static final int RETRY_AFTER_SECONDS = 2;
    private static final byte[] BODY = ("{\"error\":{\"code\":\"SHUTTING_DOWN\",\"message\":"
            + "\"The server is restarting; please retry in a moment.\"}}").getBytes(StandardCharsets.UTF_8);

    private final Set<String> notAwaited;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Object lock = new Object();
    private int inFlight;

    /**
     * @param notAwaited paths whose requests are not waited for (event streams: the sync service
     *                   ends them itself, and one whose client stopped reading would hold the stop
     *                   until its write timeout)
     */
    public GracefulStop(Set<String> notAwaited) {
        this.notAwaited = Set.copyOf(notAwaited);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (stopping.get()) {
            refuse(response, callback);
            return true;
        }
        if (notAwaited.contains(Request.getPathInContext(request))) return super.handle(request, response, callback);
        entered();
        Callback counted = new Callback() {
            @Override
            public void succeeded() {
                try {
                    callback.succeeded();
                } finally {
                    left();
                }
            }

            @Override
            public void failed(Throwable x) {
                try {
                    callback.failed(x);
                } finally {
                    left();
                }
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
        boolean handled = false;
        try {
            handled = super.handle(request, response, counted);
            return handled;
        } finally {
            if (!handled) left();
        }
    }

    /** From now on new requests are refused with 503; returns false if a stop had begun already. */
    public boolean beginStop() {
        return stopping.compareAndSet(false, true);
    }

    public boolean stopping() {
        return stopping.get();
    }

    public int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    /** Waits until no request is in flight, at most {@code timeout}; true if none is left. */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return inFlight == 0;
                }
            }
            return true;
        }
    }

    private static void refuse(Response res, Callback callback) {
        res.setStatus(503);
        res.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        res.getHeaders().put(HttpHeader.CONNECTION, "close");
        res.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        res.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        res.getHeaders().put(HttpHeader.CONTENT_LENGTH, Integer.toString(BODY.length));
        res.write(true, ByteBuffer.wrap(BODY), callback);
    }

    private void entered() {
        synchronized (lock) {
            inFlight++;
        }
    }

    private void left() {
        synchronized (lock) {
            if (--inFlight == 0) lock.notifyAll();
        }
    }
}
