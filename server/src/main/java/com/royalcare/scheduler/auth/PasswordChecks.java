package com.royalcare.scheduler.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the password checks (bcrypt, deliberately slow) running at once, so a flood from many
 * addresses cannot take every core from the rest of the API. A few more may wait their turn
 * (first come, first served); beyond that, or after {@link #MAX_WAIT}, the attempt is refused at
 * once and the caller answers 429.
 *
 * <p>One address holds at most one permit or place in the queue at a time; its next attempt meanwhile
 * is refused at once. Without that, a flood from one address filled the queue with its own checks
 * (its burst allowance is ten) and a real user signing in from elsewhere waited behind them, up to
 * {@link #MAX_WAIT} and then a 429 (tried by hand on a loaded machine: 48 guessers, the real
 * sign-in refused after 2.2 s).
 */
final class PasswordChecks {

    static final Duration MAX_WAIT = Duration.ofSeconds(2);
    private static final int WAITING_PER_PERMIT = 4;

    private final Semaphore permits;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();
    /** Addresses with a check running or waiting. */
    private final ConcurrentHashMap<String, Boolean> busy = new ConcurrentHashMap<>();

    PasswordChecks(int concurrent) {
        this.permits = new Semaphore(concurrent, true);
        this.maxWaiting = concurrent * WAITING_PER_PERMIT;
    }

    /** Runs {@code check} for {@code client} when a permit is free; empty when the node is too busy or the address already has a check running or waiting. */
    <T> Optional<T> run(String client, Supplier<T> check) {
        if (busy.putIfAbsent(client, Boolean.TRUE) != null) return Optional.empty();
        try {
            return runBounded(check);
        } finally {
            busy.remove(client);
        }
    }

    private <T> Optional<T> runBounded(Supplier<T> check) {
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
