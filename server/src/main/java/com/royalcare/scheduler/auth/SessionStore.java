package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.sync.LiveSessions;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.db.Timestamps;
import com.royalcare.scheduler.staff.AccountSessions;
import com.royalcare.scheduler.staff.StaffDirectory;
import org.jdbi.v3.core.Handle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * the database cannot be used to sign in. A session is live while unexpired and its account
 * active; staff answers the second half ({@link StaffDirectory}).
 */
public final class SessionStore implements LiveSessions, AccountSessions {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BATCH = 500;

    private final Database db;
    private final StaffDirectory staff;
    private final Duration lifetime;
    private final Clock clock;

    public SessionStore(Database db, StaffDirectory staff, Duration lifetime, Clock clock) {
        this.db = db;
        this.staff = staff;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** Creates a session and returns the token to give the client. */
    String create(Handle h, long staffId) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = Timestamps.now(clock);
        h.createUpdate("INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) VALUES (:t, :s, :c, :e)")
                .bind("t", hash(token)).bind("s", staffId).bind("c", Timestamps.format(now)).bind("e", Timestamps.format(now.plus(lifetime)))
                .execute();
        return token;
    }

    /** The live session's user, if the token is valid, unexpired and its account active. */
    Optional<Principal> find(Handle h, String token) {
        String tokenHash = hash(token);
        return h.createQuery("SELECT staff_id FROM sessions WHERE token_hash = :t AND expires_at > :now")
                .bind("t", tokenHash).bind("now", now())
                .mapTo(Long.class).findOne()
                .flatMap(staffId -> staff.find(h, staffId))
                .filter(s -> s.active())
                .map(s -> new Principal(s.id(), s.username(), s.role(), tokenHash));
    }

    @Override
    public Set<String> stillValid(Set<String> tokenHashes) {
        if (tokenHashes.isEmpty()) return Set.of();
        return db.read(h -> {
            Map<String, Long> unexpired = new HashMap<>();
            List<String> all = List.copyOf(tokenHashes);
            for (int i = 0; i < all.size(); i += BATCH) {
                h.createQuery("SELECT token_hash, staff_id FROM sessions WHERE token_hash IN (<hashes>) AND expires_at > :now")
                        .bindList("hashes", all.subList(i, Math.min(all.size(), i + BATCH)))
                        .bind("now", now())
                        .map((rs, ctx) -> Map.entry(rs.getString("token_hash"), rs.getLong("staff_id")))
                        .forEach(e -> unexpired.put(e.getKey(), e.getValue()));
            }
            Set<Long> active = staff.activeAmong(h, unexpired.values());
            return unexpired.entrySet().stream().filter(e -> active.contains(e.getValue())).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        });
    }

    void delete(Handle h, String tokenHash) {
        h.createUpdate("DELETE FROM sessions WHERE token_hash = :t").bind("t", tokenHash).execute();
    }

    /** Ends every session of one account (it was disabled). */
    @Override
    public void endAll(Handle h, long staffId) {
        h.createUpdate("DELETE FROM sessions WHERE staff_id = :s").bind("s", staffId).execute();
    }

    void deleteExpired(Handle h) {
        h.createUpdate("DELETE FROM sessions WHERE expires_at <= :now").bind("now", now()).execute();
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
