package com.royalcare.loadtest.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntUnaryOperator;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Book-keeping shared by the writer and the subscribers: every write is registered under the key
 * its event will carry, before the request leaves; every delivery is matched to it. Latency is
 * "API call start" to "bytes of the event read by the subscriber", in microseconds.
 */
final class Ledger {

    /** One write through the API. */
    static final class Write {
        final String key;
        final int channel;
        final boolean measured;
        final boolean marker;
        final long startNanos;
        final int expected;
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger misrouted = new AtomicInteger();
        volatile int status; // 0 while in flight, HTTP status after, -1 on transport failure
        /** Arrival of the first and the last delivery of this write (nanoTime), 0 until one arrives. */
        volatile long firstArrivalNanos;
        volatile long lastArrivalNanos;
        /** When the server appended the change (epoch µs, from the event's "at"), MIN_VALUE if unknown. */
        volatile long appendedEpochMicros = Long.MIN_VALUE;

        Write(String key, int channel, boolean measured, boolean marker, long startNanos, int expected) {
            this.key = key;
            this.channel = channel;
            this.measured = measured;
            this.marker = marker;
            this.startNanos = startNanos;
            this.expected = expected;
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final Map<String, Write> writes = new ConcurrentHashMap<>();
    private final IntUnaryOperator expectedPerChannel;
    private final Histogram deliveryMicros = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
    /** Wall clock (epoch µs) at nanoTime {@link #nano0}: turns arrival times into the server's time base. */
    private final long epochMicros0;
    private final long nano0;
    private final Histogram writeMicros = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
    private final AtomicInteger inFlight = new AtomicInteger();
    final LongAdder deliveries = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder unknownEvents = new LongAdder();
    final LongAdder resets = new LongAdder();
    final Map<Integer, LongAdder> statusCounts = new ConcurrentHashMap<>();
    /** The first few distinct write errors, verbatim, for the report. */
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    Ledger(IntUnaryOperator expectedPerChannel) {
        this.expectedPerChannel = expectedPerChannel;
        java.time.Instant now = java.time.Instant.now();
        this.nano0 = System.nanoTime();
        this.epochMicros0 = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    long epochMicros(long nanoTime) {
        return epochMicros0 + (nanoTime - nano0) / 1_000;
    }

    /** Registers a write about to be sent; call immediately before the request leaves. */
    Write begin(String key, int channel, boolean measured, boolean marker) {
        Write w = new Write(key, channel, measured, marker, System.nanoTime(), expectedPerChannel.applyAsInt(channel));
        if (writes.putIfAbsent(key, w) != null) {
            throw new IllegalStateException("write key reused: " + key);
        }
        inFlight.incrementAndGet();
        return w;
    }

    void complete(Write w, int status) {
        long micros = (System.nanoTime() - w.startNanos) / 1_000;
        w.status = status;
        if (w.measured) {
            writeMicros.recordValue(Math.min(micros, writeMicros.getHighestTrackableValue()));
        }
        statusCounts.computeIfAbsent(status, s -> new LongAdder()).increment();
        inFlight.decrementAndGet();
    }

    void noteError(String error) {
        String line = error.length() > 300 ? error.substring(0, 300) + "..." : error;
        if (errors.size() < 20 || errors.containsKey(line)) {
            errors.computeIfAbsent(line, e -> new LongAdder()).increment();
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    /**
     * A subscriber read an event carrying {@code key} (already checked for duplicates by sequence).
     * Returns the write, or null when the event is not one of ours.
     */
    Write deliver(String key, int subscriberChannel, long arrivalNanos) {
        Write w = key == null ? null : writes.get(key);
        if (w == null) {
            unknownEvents.increment();
            return null;
        }
        if (w.delivered.incrementAndGet() == 1) {
            w.firstArrivalNanos = arrivalNanos;
        }
        if (arrivalNanos > w.lastArrivalNanos) {
            w.lastArrivalNanos = arrivalNanos;
        }
        if (subscriberChannel >= 0 && subscriberChannel != w.channel) {
            w.misrouted.incrementAndGet();
        }
        if (!w.marker) {
            deliveries.increment();
            if (w.measured) {
                long micros = Math.max(0, (arrivalNanos - w.startNanos) / 1_000);
                deliveryMicros.recordValue(Math.min(micros, deliveryMicros.getHighestTrackableValue()));
            }
        }
        return w;
    }

    /** Deliveries still owed to the subscribers by writes that succeeded (markers excluded). */
    long outstanding() {
        long owed = 0;
        for (Write w : writes.values()) {
            if (!w.marker && w.status != 0 && w.ok()) {
                owed += Math.max(0, w.expected - w.delivered.get());
            }
        }
        return owed;
    }

    /**
     * How far the subscribers have caught up with the writes begun before {@code nanos} (markers
     * excluded): deliveries still owed by those that succeeded, how many are still unanswered, and
     * the latest arrival of any of their deliveries (nanoTime, 0 if none). For the reconnect storm.
     */
    CatchUp catchUp(long begunBeforeNanos) {
        long count = 0, expected = 0, owed = 0, unanswered = 0, last = 0;
        for (Write w : writes.values()) {
            if (w.marker || w.startNanos >= begunBeforeNanos) {
                continue;
            }
            count++;
            if (w.status == 0) {
                unanswered++;
            } else if (w.ok()) {
                expected += w.expected;
                owed += Math.max(0, w.expected - w.delivered.get());
                last = Math.max(last, w.lastArrivalNanos);
            }
        }
        return new CatchUp(count, expected, owed, unanswered, last);
    }

    record CatchUp(long writes, long expected, long owed, long unanswered, long lastArrivalNanos) {
    }

    Histogram deliveryHistogram() {
        return deliveryMicros;
    }

    Histogram writeHistogram() {
        return writeMicros;
    }

    /**
     * Where a measured write's latency went, per write, in µs: API call start → change appended
     * (server clock, the event's "at"; includes the request's way in and the SQL before the commit),
     * appended → first subscriber's arrival (commit, dispatch, fan-out queueing, socket), and first →
     * last subscriber (fan-out spread).
     */
    Breakdown breakdown() {
        Breakdown b = new Breakdown();
        for (Write w : writes.values()) {
            if (w.marker || !w.measured || !w.ok() || w.firstArrivalNanos == 0) {
                continue;
            }
            long first = epochMicros(w.firstArrivalNanos);
            if (w.appendedEpochMicros != Long.MIN_VALUE) {
                b.startToAppend.recordValue(clamp(w.appendedEpochMicros - epochMicros(w.startNanos)));
                b.appendToFirst.recordValue(clamp(first - w.appendedEpochMicros));
            }
            b.spread.recordValue(clamp((w.lastArrivalNanos - w.firstArrivalNanos) / 1_000));
        }
        return b;
    }

    private static long clamp(long micros) {
        return Math.max(0, Math.min(micros, TimeUnit.MINUTES.toMicros(5)));
    }

    static final class Breakdown {
        final Histogram startToAppend = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        final Histogram appendToFirst = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        final Histogram spread = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
    }

    /** Deliveries of the measured writes only (the totals also count the warm-up's). */
    long measuredDeliveries() {
        long n = 0;
        for (Write w : writes.values()) {
            if (w.measured && !w.marker && w.ok()) n += Math.min(w.delivered.get(), w.expected);
        }
        return n;
    }

    /** Final accounting over every non-marker write. */
    Totals totals() {
        long ok = 0, failed = 0, expected = 0, received = 0, lost = 0, extra = 0, unexpected = 0, misrouted = 0,
                pending = 0;
        for (Write w : writes.values()) {
            misrouted += w.misrouted.get();
            if (w.marker) {
                continue;
            }
            int d = w.delivered.get();
            if (w.status == 0) {
                pending++;
                unexpected += d;
            } else if (w.ok()) {
                ok++;
                expected += w.expected;
                received += Math.min(d, w.expected);
                lost += Math.max(0, w.expected - d);
                extra += Math.max(0, d - w.expected);
            } else {
                failed++;
                unexpected += d;
            }
        }
        return new Totals(ok, failed, pending, expected, received, lost, extra, duplicates.sum(), unexpected,
                misrouted, unknownEvents.sum(), resets.sum());
    }

    record Totals(long writesOk, long writesFailed, long writesPending, long expected, long received, long lost,
                  long extra, long duplicates, long unexpected, long misrouted, long unknownEvents, long resets) {
    }
}
