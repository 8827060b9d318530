package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.db.Timestamps;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.staff.Staff;
import com.royalcare.scheduler.staff.StaffRepository;
import com.royalcare.scheduler.web.ApiException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/** Sign-in with lockout, sign-out, and resolving a token to its user. */
public final class AuthService {

    static final int MAX_FAILED_LOGINS = 5;
    static final Duration LOCKOUT = Duration.ofMinutes(15);

    public record LoggedIn(String token, Staff user) {
    }

    private record Attempt(long staffId, String passwordHash, boolean active) {
    }

    private final Database db;
    private final StaffRepository staff;
    private final SessionStore sessions;
    private final PasswordHasher hasher;
    private final ZoneId zone;
    private final Clock clock;
    private final Consumer<Principal> onSignedOut;

    /** @param onSignedOut runs after a sign-out has committed (closes that session's live streams) */
    public AuthService(Database db, StaffRepository staff, SessionStore sessions, PasswordHasher hasher, ZoneId zone, Clock clock,
                       Consumer<Principal> onSignedOut) {
        this.db = db;
        this.staff = staff;
        this.sessions = sessions;
        this.hasher = hasher;
        this.zone = zone;
        this.clock = clock;
        this.onSignedOut = onSignedOut;
    }

    /**
     * Counts the attempt as failed before checking the password and clears the count on success:
     * parallel guesses cannot slip past the limit while a slow bcrypt check is in flight.
     */
    public LoggedIn login(String username, String password) {
        Optional<Attempt> attempt = db.write(h -> reserveAttempt(h, username.toLowerCase(Locale.ROOT)));
        if (attempt.isEmpty()) {
            hasher.burn(password);
            throw invalidCredentials();
        }
        Attempt a = attempt.get();
        if (!hasher.matches(password, a.passwordHash())) throw invalidCredentials();
        if (!a.active()) {
            throw new ApiException(403, "ACCOUNT_DISABLED", "This account has been disabled. Please contact an operator.");
        }
        return db.write(h -> {
            h.createUpdate("UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE id = :id").bind("id", a.staffId()).execute();
            sessions.deleteExpired(h); // housekeeping rides on sign-ins: cheap and needs no scheduler
            return new LoggedIn(sessions.create(h, a.staffId()), staff.find(h, a.staffId()).orElseThrow());
        });
    }

    private Optional<Attempt> reserveAttempt(org.jdbi.v3.core.Handle h, String username) {
        Optional<Long> id = h.createQuery("SELECT id FROM staff WHERE username = :u").bind("u", username).mapTo(Long.class).findOne();
        if (id.isEmpty()) return Optional.empty();
        db.lockRow(h, "staff", id.get());
        return h.createQuery("SELECT id, password_hash, active, failed_logins, locked_until FROM staff WHERE id = :id")
                .bind("id", id.get())
                .map((rs, ctx) -> {
                    Instant now = clock.instant();
                    String lockedRaw = rs.getString("locked_until");
                    Instant lockedUntil = lockedRaw == null ? null : Instant.parse(lockedRaw);
                    if (lockedUntil != null && lockedUntil.isAfter(now)) throw locked(lockedUntil);
                    int failed = lockedUntil != null ? 0 : rs.getInt("failed_logins"); // an expired lock starts a new count
                    int next = failed + 1;
                    h.createUpdate("UPDATE staff SET failed_logins = :n, locked_until = :until WHERE id = :id")
                            .bind("n", next)
                            .bind("until", next >= MAX_FAILED_LOGINS ? Timestamps.format(now.plus(LOCKOUT)) : null)
                            .bind("id", rs.getLong("id"))
                            .execute();
                    return new Attempt(rs.getLong("id"), rs.getString("password_hash"), rs.getBoolean("active"));
                })
                .findOne();
    }

    public void logout(Principal principal) {
        db.write(h -> {
            sessions.delete(h, principal.tokenHash());
            return null;
        });
        onSignedOut.accept(principal);
    }

    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 200) return Optional.empty();
        return db.read(h -> sessions.find(h, token));
    }

    private ApiException locked(Instant until) {
        String time = DateTimeFormatter.ofPattern("h:mm a", Locale.US).withZone(zone).format(until);
        return new ApiException(429, "ACCOUNT_LOCKED",
                "Too many failed sign-ins. This account is locked for 15 minutes; try again after " + time + ".");
    }

    private static ApiException invalidCredentials() {
        return new ApiException(401, "INVALID_CREDENTIALS", "The username or password is incorrect.");
    }
}
