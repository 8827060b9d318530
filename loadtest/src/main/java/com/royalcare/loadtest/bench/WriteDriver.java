package com.royalcare.loadtest.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Issues writes at a fixed rate on one thread, round-robin over the channels. The schedule is
 * absolute (write i is due at start + i/rate), so a late tick does not shift the ones after it.
 */
final class WriteDriver {

    private final Target target;
    private final Ledger ledger;
    private final int[] channels;
    private final AtomicLong next = new AtomicLong();
    long issued;
    long skipped;
    long maxLagMicros;

    /** @param channels the channels writes may go to (e.g. only those somebody subscribes to) */
    WriteDriver(Target target, Ledger ledger, int[] channels) {
        this.target = target;
        this.ledger = ledger;
        this.channels = channels;
    }

    /** Writes at {@code rate} per second for {@code seconds}; returns when the last one has been sent. */
    void run(double rate, double seconds, boolean measured) {
        long interval = (long) (1_000_000_000L / rate);
        long count = Math.round(rate * seconds);
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            maxLagMicros = Math.max(maxLagMicros, (now - due) / 1_000);
            int channel = channels[(int) Math.floorMod(next.getAndIncrement(), (long) channels.length)];
            if (target.write(channel, measured, false, ledger)) {
                issued++;
            } else {
                skipped++; // every slot position of that channel still has a request in flight
            }
        }
    }
}
