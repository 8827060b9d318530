package com.royalcare.scheduler.idempotency;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.db.StoredText;
import com.royalcare.scheduler.db.Timestamps;
import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.Json;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Safe retries of creates, in the manner of Stripe's idempotency keys: a request may carry an
 * {@code Idempotency-Key} header (1–255 visible ASCII characters, e.g. a UUID made once per user
 * action). The first successful answer is stored with the key, the account and a fingerprint of
 * the request, in the same transaction as the write. A retry by the same account with the same key
 * gets that answer again (status, body, Location, ETag, plus {@code Idempotent-Replayed: true}) and
 * writes nothing; the same key with a different request gets 422 {@code IDEMPOTENCY_KEY_REUSED}.
 * Error answers are not stored (their transaction rolled back), so a retry after one runs again.
 * Keys are kept {@link #TTL}.
 *
 * <p>Use from a handler: {@code keys.create(ctx, accountId, once -> service.create(…, once), r -> Reply.created(…))},
 * the service running its write as {@code db.write(h -> once.inTransaction(h, () -> …))}.
 */
public final class IdempotencyKeys implements RoutesSetup, AutoCloseable {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    public static final Duration TTL = Duration.ofHours(24);
    private static final int MAX_KEY = 255;
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeys.class);

    /** Thrown inside a transaction when the key was answered already: roll back, send the stored answer. */
    public static final class Replay extends RuntimeException {
        private final Reply reply;

        Replay(Reply reply) {
            super("idempotent replay", null, false, false);
            this.reply = reply;
        }

        public Reply reply() {
            return reply;
        }
    }

    private record Stored(String fingerprint, Reply reply, Instant createdAt) {
    }

    private final Database db;
    private final Clock clock;
    private final ScheduledExecutorService pruner = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "idempotency-prune");
        t.setDaemon(true);
        return t;
    });

    public IdempotencyKeys(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.exception(Replay.class, (e, ctx) -> send(ctx, e.reply(), true));
    }

    /**
     * Handles a create: reads the key, answers at once if it was answered before, else runs
     * {@code action} with the key bound (the service passes it to {@link Idempotent#inTransaction})
     * and sends the answer {@code render} makes of the result.
     */
    public <T> void create(Context ctx, long accountId, Function<Idempotent<T>, T> action, Function<T, Reply> render) {
        Idempotent<T> once = begin(ctx, accountId, render);
        T result = action.apply(once);
        send(ctx, once.reply(result), false);
    }

    /** The request's key bound to {@code accountId}; throws {@link Replay} when it was answered before. */
    public <T> Idempotent<T> begin(Context ctx, long accountId, Function<T, Reply> render) {
        String key = ctx.header(HEADER);
        if (key == null) return new Idempotent<>(this, accountId, null, null, render);
        if (key.isEmpty() || key.length() > MAX_KEY || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ApiException(400, "VALIDATION", "The Idempotency-Key header must be 1 to " + MAX_KEY
                    + " visible ASCII characters (a UUID, for example).", Map.of(HEADER, "is not a valid key"), Map.of());
        }
        String fingerprint = fingerprint(ctx.method().name(), ctx.path(), ctx.bodyAsBytes());
        // Fast path: a retry of an answered request does no work at all (no validation against
        // today's data, no password hashing). The claim in the transaction is what decides.
        Optional<Stored> earlier = db.read(h -> find(h, accountId, key));
        if (earlier.isPresent() && live(earlier.get())) answer(earlier.get(), fingerprint);
        return new Idempotent<>(this, accountId, key, fingerprint, render);
    }

    /** Claims the key in {@code h}; throws {@link Replay} or 422 when it is taken. */
    void claim(Handle h, long accountId, String key, String fingerprint) {
        String now = Timestamps.format(clock.instant());
        int inserted = h.createUpdate("""
                        INSERT INTO idempotency_key (account_id, idem_key, fingerprint, created_at)
                        VALUES (:account, :key, :fp, :now) ON CONFLICT (account_id, idem_key) DO NOTHING""")
                .bind("account", accountId).bind("key", key).bind("fp", fingerprint).bind("now", now).execute();
        if (inserted == 1) return;
        // Taken: on PostgreSQL the insert waited for the transaction holding it, which has committed.
        Stored s = find(h, accountId, key).orElseThrow(() -> new IllegalStateException("idempotency key vanished"));
        if (s.reply() != null && live(s)) answer(s, fingerprint);
        // Expired (or, impossibly, unanswered): the key starts afresh.
        h.createUpdate("""
                        UPDATE idempotency_key SET fingerprint = :fp, created_at = :now, status = NULL, headers = NULL, body = NULL
                        WHERE account_id = :account AND idem_key = :key""")
                .bind("account", accountId).bind("key", key).bind("fp", fingerprint).bind("now", now).execute();
    }

    /** Stores the answer to a claimed key, in the claiming transaction. */
    void store(Handle h, long accountId, String key, Reply reply) {
        h.createUpdate("UPDATE idempotency_key SET status = :status, headers = :headers, body = :body "
                        + "WHERE account_id = :account AND idem_key = :key")
                .bind("status", reply.status()).bind("headers", Json.write(new TreeMap<>(reply.headers())))
                .bind("body", reply.body()).bind("account", accountId).bind("key", key).execute();
    }

    /** Deletes keys older than {@link #TTL}; returns how many. */
    public int prune() {
        String before = Timestamps.format(clock.instant().minus(TTL));
        return db.write(h -> h.createUpdate("DELETE FROM idempotency_key WHERE created_at < :before").bind("before", before).execute());
    }

    /** Prunes old keys every hour. */
    public void start() {
        pruner.scheduleWithFixedDelay(() -> {
            try {
                int n = prune();
                if (n > 0) LOG.info("Pruned {} idempotency keys older than {}", n, TTL);
            } catch (RuntimeException e) {
                LOG.warn("Cannot prune idempotency keys", e);
            }
        }, 1, 60, TimeUnit.MINUTES);
    }

    @Override
    public void close() {
        pruner.shutdownNow();
    }

    private boolean live(Stored s) {
        return s.createdAt().isAfter(clock.instant().minus(TTL));
    }

    private static void answer(Stored s, String fingerprint) {
        if (!s.fingerprint().equals(fingerprint)) {
            throw new ApiException(422, "IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used for a different request; "
                    + "use a new key for a new action.");
        }
        if (s.reply() != null) throw new Replay(s.reply());
    }

    private static Optional<Stored> find(Handle h, long accountId, String key) {
        return h.createQuery("SELECT fingerprint, status, headers, body, created_at FROM idempotency_key "
                        + "WHERE account_id = :account AND idem_key = :key")
                .bind("account", accountId).bind("key", key)
                .map((rs, c) -> {
                    int status = rs.getInt("status");
                    Reply reply = rs.wasNull() ? null : new Reply(status, headers(rs.getString("headers")), rs.getString("body"));
                    return new Stored(rs.getString("fingerprint"), reply, StoredText.instant(rs.getString("created_at")));
                })
                .findOne();
    }

    private static Map<String, String> headers(String json) {
        try {
            return json == null ? Map.of() : Json.MAPPER.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("stored idempotency headers are not JSON", e);
        }
    }

    private static void send(Context ctx, Reply reply, boolean replayed) {
        ctx.status(reply.status());
        reply.headers().forEach(ctx::header);
        if (replayed) ctx.header(REPLAYED_HEADER, "true");
        ctx.contentType("application/json").result(reply.body());
    }

    /**
     * SHA-256 of the method, path and body. A JSON body is canonicalised first (keys sorted, no
     * spacing), so a client that re-serialises the same object in another key order still matches.
     */
    static String fingerprint(String method, String path, byte[] body) {
        String canonical;
        try {
            canonical = body.length == 0 ? "" : Json.MAPPER.writeValueAsString(sorted(Json.MAPPER.readTree(body)));
        } catch (IOException e) {
            canonical = "raw:" + HexFormat.of().formatHex(body);
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode o) {
            ObjectNode out = Json.MAPPER.createObjectNode();
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.put(e.getKey(), sorted(e.getValue()));
            }
            fields.forEach(out::set);
            return out;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            a.forEach(x -> out.add(sorted(x)));
            return out;
        }
        return node;
    }
}
