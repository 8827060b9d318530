package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.db.StoredText;
import com.royalcare.scheduler.sync.LiveSessions;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.db.Timestamps;
import com.royalcare.scheduler.staff.AccountSessions;
import com.royalcare.scheduler.staff.Staff;
import com.royalcare.scheduler.staff.StaffDirectory;
import org.jdbi.v3.core.Handle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Session tokens: 256 random bits handed to the client, only their SHA-256 stored, so a copy of
 * the database cannot be used to sign in. A session is live while it is within its lifetime, has
 * been used (a request, or an open event stream) within the idle period, was not ended, and its
 * account is active; staff answers the last part ({@link StaffDirectory}).
 *
 * <p>Requests record that the session was seen at most once per {@link #TOUCH_EVERY}, so reading
 * a session costs no database write on almost every request. On SQLite it costs no read either after the
 * first: this process alone writes sessions ({@link Database#soleWriter}), so it keeps the live ones ({@link SessionCache}) and drops an
 * entry in every method here that changes its row, before that change is answered.
 */
public final class SessionStore implements LiveSessions, AccountSessions {

    /** How stale last_seen_at may get before a request writes it again. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BATCH = 500;

    private final Database db;
    private final StaffDirectory staff;
    private final Duration lifetime;
    private final Duration idle;
    private final Clock clock;
    /** Only where this process alone writes sessions ({@link Database#soleWriter}); null elsewhere. */
    private final SessionCache cache;

    public SessionStore(Database db, StaffDirectory staff, Duration lifetime, Duration idle, Clock clock) {
        this.db = db;
        this.staff = staff;
        this.lifetime = lifetime;
        this.idle = idle;
        this.clock = clock;
        this.cache = db.soleWriter() ? new SessionCache() : null;
    }

    /** Creates a session and returns the token to give the client. */
    String create(Handle h, long staffId) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = Timestamps.now(clock);
        h.createUpdate("INSERT INTO sessions (token_hash, staff_id, created_at, expires_at, last_seen_at) VALUES (:t, :s, :c, :e, :c)")
                .bind("t", hash(token)).bind("s", staffId).bind("c", Timestamps.format(now)).bind("e", Timestamps.format(now.plus(lifetime)))
                .execute();
        return token;
    }

    private record Row(long staffId, Instant expiresAt, Instant lastSeen, String endedReason) {
    }

    /** What the token is now: a live session, one ended (and why), or none. From memory when it can be. */
    SessionLookup find(String token) {
        String tokenHash = hash(token);
        Instant now = Timestamps.now(clock);
        if (cache != null) {
            SessionCache.Entry hit = cache.get(tokenHash);
            if (hit != null) {
                SessionLookup.Live live = liveAt(hit, now);
                if (live != null) return live;
            }
        }
        long readAt = cache == null ? 0 : cache.generation();
        Read read = db.read(h -> read(h, tokenHash, now));
        if (read.live() != null && cache != null) cache.put(tokenHash, read.live(), readAt);
        return read.lookup();
    }

    /** A lookup, and the live session behind it (null unless live). */
    private record Read(SessionLookup lookup, SessionCache.Entry live) {
        Read(SessionLookup lookup) {
            this(lookup, null);
        }
    }

    private Read read(Handle h, String tokenHash, Instant now) {
        Optional<Row> row = h.createQuery("SELECT staff_id, expires_at, last_seen_at, ended_reason FROM sessions WHERE token_hash = :t")
                .bind("t", tokenHash)
                .map((rs, ctx) -> new Row(rs.getLong("staff_id"), StoredText.instant(rs.getString("expires_at")),
                        rs.getString("last_seen_at") == null ? null : StoredText.instant(rs.getString("last_seen_at")),
                        rs.getString("ended_reason")))
                .findOne();
        if (row.isEmpty()) return new Read(new SessionLookup.None());
        Row r = row.get();
        if (r.endedReason() != null) return new Read(new SessionLookup.Ended(SessionEnd.valueOf(r.endedReason())));
        Instant lastSeen = r.lastSeen() == null ? now : r.lastSeen();
        if (!liveBy(r.expiresAt(), lastSeen, now)) return new Read(new SessionLookup.Ended(SessionEnd.EXPIRED));
        Optional<Staff> account = staff.find(h, r.staffId());
        if (account.isEmpty()) return new Read(new SessionLookup.None());
        Staff s = account.get();
        if (!s.active()) return new Read(new SessionLookup.Ended(SessionEnd.DISABLED));
        SessionCache.Entry e = new SessionCache.Entry(new Principal(s.id(), s.username(), s.role(), tokenHash), r.expiresAt(), lastSeen);
        return new Read(liveAt(e, now), e);
    }

    /** The session as live at {@code now}, or null once past its lifetime or idle period. */
    private SessionLookup.Live liveAt(SessionCache.Entry e, Instant now) {
        if (!liveBy(e.expiresAt(), e.lastSeen(), now)) return null;
        return new SessionLookup.Live(e.principal(), !e.lastSeen().plus(TOUCH_EVERY).isAfter(now));
    }

    private boolean liveBy(Instant expiresAt, Instant lastSeen, Instant now) {
        return expiresAt.isAfter(now) && lastSeen.plus(idle).isAfter(now);
    }

    /** Records that the session was used now (it will not go idle for another idle period). */
    void touch(Handle h, String tokenHash) {
        h.createUpdate("UPDATE sessions SET last_seen_at = :now WHERE token_hash = :t AND ended_reason IS NULL")
                .bind("now", now()).bind("t", tokenHash).execute();
        dropped(h, c -> c.drop(tokenHash));
    }

    /**
     * Whatever the cache holds of a row just changed in {@code h} goes: once after the statement (a read from now
     * on is not kept unless it began later) and once after the commit (a read between the two saw the old row).
     */
    private void dropped(Handle h, java.util.function.Consumer<SessionCache> drop) {
        if (cache == null) return;
        drop.accept(cache);
        h.afterCommit(() -> drop.accept(cache));
    }

    /**
     * Of the sessions behind open streams, those still live. An open stream counts as use: the
     * sessions it checks here are touched (at most once per {@link #TOUCH_EVERY}), so they do not go idle.
     */
    @Override
    public Set<String> stillValid(Set<String> tokenHashes) {
        if (tokenHashes.isEmpty()) return Set.of();
        Instant staleBefore = Timestamps.now(clock).minus(TOUCH_EVERY);
        List<String> stale = new ArrayList<>();
        Set<String> valid = db.read(h -> {
            Map<String, Long> unexpired = new HashMap<>();
            List<String> all = List.copyOf(tokenHashes);
            for (int i = 0; i < all.size(); i += BATCH) {
                h.createQuery("SELECT token_hash, staff_id, last_seen_at FROM sessions WHERE token_hash IN (<hashes>) "
                                + "AND expires_at > :now AND ended_reason IS NULL")
                        .bindList("hashes", all.subList(i, Math.min(all.size(), i + BATCH)))
                        .bind("now", now())
                        .map((rs, ctx) -> {
                            String seen = rs.getString("last_seen_at");
                            if (seen == null || StoredText.instant(seen).isBefore(staleBefore)) stale.add(rs.getString("token_hash"));
                            return Map.entry(rs.getString("token_hash"), rs.getLong("staff_id"));
                        })
                        .forEach(e -> unexpired.put(e.getKey(), e.getValue()));
            }
            Set<Long> active = staff.activeAmong(h, unexpired.values());
            return unexpired.entrySet().stream().filter(e -> active.contains(e.getValue())).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        });
        if (cache != null) tokenHashes.stream().filter(t -> !valid.contains(t)).forEach(cache::drop);
        stale.retainAll(valid);
        if (!stale.isEmpty()) {
            db.write(h -> {
                for (int i = 0; i < stale.size(); i += BATCH) {
                    h.createUpdate("UPDATE sessions SET last_seen_at = :now WHERE token_hash IN (<hashes>)")
                            .bindList("hashes", stale.subList(i, Math.min(stale.size(), i + BATCH)))
                            .bind("now", now()).execute();
                }
                return null;
            });
        }
        return valid;
    }

    void delete(Handle h, String tokenHash) {
        h.createUpdate("DELETE FROM sessions WHERE token_hash = :t").bind("t", tokenHash).execute();
        dropped(h, c -> c.drop(tokenHash));
    }

    /** Ends every session of one account (disabled, or its password reset); they answer with the reason until they expire. */
    @Override
    public void endAll(Handle h, long staffId, Why why) {
        SessionEnd reason = why == Why.DISABLED ? SessionEnd.DISABLED : SessionEnd.PASSWORD_CHANGED;
        h.createUpdate("UPDATE sessions SET ended_reason = :r WHERE staff_id = :s AND ended_reason IS NULL")
                .bind("r", reason.name()).bind("s", staffId).execute();
        dropped(h, c -> c.dropAccount(staffId));
    }

    /** The account's record changed (staff calls this on every edit): sessions re-read it. */
    @Override
    public void accountChanged(Handle h, long staffId) {
        dropped(h, c -> c.dropAccount(staffId));
    }

    /** Ends the account's other sessions (its password was changed in {@code keep}); returns their token hashes. */
    List<String> endOthers(Handle h, long staffId, String keep) {
        List<String> others = h.createQuery("SELECT token_hash FROM sessions WHERE staff_id = :s AND token_hash <> :k AND ended_reason IS NULL")
                .bind("s", staffId).bind("k", keep).mapTo(String.class).list();
        h.createUpdate("UPDATE sessions SET ended_reason = :r WHERE staff_id = :s AND token_hash <> :k AND ended_reason IS NULL")
                .bind("r", SessionEnd.PASSWORD_CHANGED.name()).bind("s", staffId).bind("k", keep).execute();
        dropped(h, c -> c.dropAccount(staffId));
        return others;
    }

    /** Housekeeping: sessions past their lifetime or idle period are gone for good. */
    void deleteExpired(Handle h) {
        Instant now = Timestamps.now(clock);
        h.createUpdate("DELETE FROM sessions WHERE expires_at <= :now OR last_seen_at <= :idleSince")
                .bind("now", Timestamps.format(now)).bind("idleSince", Timestamps.format(now.minus(idle))).execute();
        if (cache != null) cache.dropEndedBy(now, idle);
    }

    private String now() {
        return Timestamps.format(Timestamps.now(clock));
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
