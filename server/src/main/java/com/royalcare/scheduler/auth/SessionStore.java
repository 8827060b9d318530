package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.db.Timestamps;
import com.royalcare.scheduler.staff.Role;
import org.jdbi.v3.core.Handle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Session tokens: 256 random bits handed to the client, only their SHA-256 stored, so a copy of
 * the database cannot be used to sign in.
 */
public final class SessionStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration lifetime;

    public SessionStore(Duration lifetime) {
        this.lifetime = lifetime;
    }

    /** Creates a session and returns the token to give the client. */
    public String create(Handle h, long staffId) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = Timestamps.now();
        h.createUpdate("INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) VALUES (:t, :s, :c, :e)")
                .bind("t", hash(token)).bind("s", staffId).bind("c", Timestamps.format(now)).bind("e", Timestamps.format(now.plus(lifetime)))
                .execute();
        return token;
    }

    /** The live session's user, if the token is valid, unexpired and its account active. */
    public Optional<Principal> find(Handle h, String token) {
        String tokenHash = hash(token);
        return h.createQuery("SELECT st.id, st.username, st.role FROM sessions s JOIN staff st ON st.id = s.staff_id "
                        + "WHERE s.token_hash = :t AND s.expires_at > :now AND st.active = :active")
                .bind("t", tokenHash).bind("now", Timestamps.format(Timestamps.now())).bind("active", true)
                .map((rs, ctx) -> new Principal(rs.getLong("id"), rs.getString("username"),
                        Role.parse(rs.getString("role")).orElseThrow(), tokenHash))
                .findOne();
    }

    /** Those of {@code tokenHashes} whose session is still live (unexpired, account active). */
    public Set<String> live(Handle h, Collection<String> tokenHashes) {
        Set<String> live = new HashSet<>();
        List<String> all = List.copyOf(tokenHashes);
        for (int i = 0; i < all.size(); i += 500) {
            live.addAll(h.createQuery("SELECT s.token_hash FROM sessions s JOIN staff st ON st.id = s.staff_id "
                            + "WHERE s.token_hash IN (<hashes>) AND s.expires_at > :now AND st.active = :active")
                    .bindList("hashes", all.subList(i, Math.min(all.size(), i + 500)))
                    .bind("now", Timestamps.format(Timestamps.now())).bind("active", true)
                    .mapTo(String.class).list());
        }
        return live;
    }

    public void delete(Handle h, String tokenHash) {
        h.createUpdate("DELETE FROM sessions WHERE token_hash = :t").bind("t", tokenHash).execute();
    }

    /** Ends every session of one account (it was disabled). */
    public void deleteAllOf(Handle h, long staffId) {
        h.createUpdate("DELETE FROM sessions WHERE staff_id = :s").bind("s", staffId).execute();
    }

    public int deleteExpired(Handle h) {
        return h.createUpdate("DELETE FROM sessions WHERE expires_at <= :now").bind("now", Timestamps.format(Timestamps.now())).execute();
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
