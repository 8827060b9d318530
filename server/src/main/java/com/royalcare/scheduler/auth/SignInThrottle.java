package com.royalcare.scheduler.auth;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address: {@code burst} attempts at once, {@code perMinute} earned back
 * each minute. A successful sign-in gives its token back, so only failures use an address's
 * allowance up: a flood of guesses from one address is refused at once (no password check, no
 * database), while people signing in from behind the same office router are not. Kept in memory
 * per node: across N nodes an address gets N allowances, still far below what guessing needs.
 */
final class SignInThrottle {

    private static final int FORGET_ABOVE = 10_000;

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    private final int burst;
    private final double perNano;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    SignInThrottle(int burst, int perMinute, LongSupplier nanos) {
        this.burst = burst;
        this.perNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
        this.nanos = nanos;
    }

    /** Takes one attempt for {@code client}: empty when allowed, else how long until the next one is. */
    Optional<Duration> take(String client) {
        if (buckets.size() > FORGET_ABOVE) forgetFull();
        long now = nanos.getAsLong();
        Bucket b = buckets.computeIfAbsent(client, c -> new Bucket(burst, now));
        synchronized (b) {
            refill(b, now);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return Optional.empty();
            }
            long wait = (long) Math.ceil((1 - b.tokens) / perNano);
            return Optional.of(Duration.ofNanos(wait));
        }
    }

    /** Gives an attempt back (it succeeded, or was never checked). */
    void giveBack(String client) {
        Bucket b = buckets.get(client);
        if (b == null) return;
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + 1);
        }
    }

    private void refill(Bucket b, long now) {
        b.tokens = Math.min(burst, b.tokens + (now - b.at) * perNano);
        b.at = now;
    }

    /** A full bucket is the same as none: drop those so addresses seen once do not pile up. */
    private void forgetFull() {
        long now = nanos.getAsLong();
        buckets.values().removeIf(b -> {
            synchronized (b) {
                refill(b, now);
                return b.tokens >= burst;
            }
        });
    }
}
