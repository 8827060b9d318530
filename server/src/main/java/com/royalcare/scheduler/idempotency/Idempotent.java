package com.royalcare.scheduler.idempotency;

import org.jdbi.v3.core.Handle;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One create request's idempotency key, handed by the handler to the service, which runs its write
 * through {@link #inTransaction}. Without a key (or {@link #none()}) that is just the work.
 *
 * <p>With a key, {@link #inTransaction} first claims the key in the caller's transaction (on
 * PostgreSQL a concurrent request with the same key waits here until the first one commits or
 * rolls back; SQLite writers are serial anyway), then runs the work, then stores the answer
 * rendered from its result. Claim, write and answer commit or roll back together. A key already
 * answered makes it throw {@link IdempotencyKeys.Replay} (the caller's transaction rolls back,
 * the handler sends the stored answer); the same key with another request gives 422.
 */
public final class Idempotent<T> {

    private static final Idempotent<?> NONE = new Idempotent<>(null, 0, null, null, null);

    private final IdempotencyKeys keys;
    private final long accountId;
    private final String key;
    private final String fingerprint;
    private final Function<T, Reply> render;
    private Reply reply;

    Idempotent(IdempotencyKeys keys, long accountId, String key, String fingerprint, Function<T, Reply> render) {
        this.keys = keys;
        this.accountId = accountId;
        this.key = key;
        this.fingerprint = fingerprint;
        this.render = render;
    }

    /** No key: the work runs as it is (services' callers that are not HTTP requests, such as the demo data). */
    @SuppressWarnings("unchecked")
    public static <T> Idempotent<T> none() {
        return (Idempotent<T>) NONE;
    }

    /** Runs {@code work} inside the caller's open write transaction {@code h}, bound to this key. Call it once, first thing in the transaction. */
    public T inTransaction(Handle h, Supplier<T> work) {
        if (key == null) return work.get();
        keys.claim(h, accountId, key, fingerprint);
        T result = work.get();
        Reply r = render.apply(result);
        keys.store(h, accountId, key, r);
        reply = r;
        return result;
    }

    boolean hasKey() {
        return key != null;
    }

    /** The answer for {@code result}: the stored one when a key was used, else rendered now. */
    Reply reply(T result) {
        return reply != null ? reply : render.apply(result);
    }
}
