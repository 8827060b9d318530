package com.royalcare.scheduler.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the password checks (bcrypt, deliberately slow) running at once, so a flood from many
 * addresses cannot take every core from the rest of the API. A few more may wait their turn
 * (first come, first served); beyond that, or after {@link #MAX_WAIT}, the attempt is refused at
 * once and the caller answers 429.
 */
final class PasswordChecks {

    static final Duration MAX_WAIT = Duration.ofSeconds(2);
    private static final int WAITING_PER_PERMIT = 4;

    private final Semaphore permits;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();

    PasswordChecks(int concurrent) {
        this.permits = new Semaphore(concurrent, true);
        this.maxWaiting = concurrent * WAITING_PER_PERMIT;
    }

    /** Runs {@code check} when a permit is free; empty when the node is too busy to check now. */
    <T> Optional<T> run(Supplier<T> check) {
        if (!permits.tryAcquire()) {
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                return Optional.empty();
            }
            try {
                if (!permits.tryAcquire(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } finally {
                waiting.decrementAndGet();
            }
        }
        try {
            return Optional.of(check.get());
        } finally {
            permits.release();
        }
    }
}
