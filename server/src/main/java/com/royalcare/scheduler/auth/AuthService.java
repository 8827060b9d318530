package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.staff.Credentials;
import com.royalcare.scheduler.staff.Staff;
import com.royalcare.scheduler.staff.StaffDirectory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Sign-in with lockout, sign-out, and resolving a token to its user. The accounts and their
 * sign-in counters belong to staff; this class decides the policy and asks staff to store it.
 */
public final class AuthService {

    static final int MAX_FAILED_LOGINS = 5;
    static final Duration LOCKOUT = Duration.ofMinutes(15);

    /** A counted attempt, or ({@code lockedUntil} set) one refused without a check because the account is locked. */
    private record Attempt(Credentials.SignInState account, Instant lockedUntil) {
    }

    private final Database db;
    private final Credentials credentials;
    private final StaffDirectory staff;
    private final SessionStore sessions;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final SignOutListener signOuts;

    public AuthService(Database db, Credentials credentials, StaffDirectory staff, SessionStore sessions, PasswordHasher hasher,
                       Clock clock, SignOutListener signOuts) {
        this.db = db;
        this.credentials = credentials;
        this.staff = staff;
        this.sessions = sessions;
        this.hasher = hasher;
        this.clock = clock;
        this.signOuts = signOuts;
    }

    /**
     * Counts the attempt as failed before checking the password and clears the count on success:
     * parallel guesses cannot slip past the limit while a slow bcrypt check is in flight.
     */
    public LoginResult login(String username, String password) {
        Optional<Attempt> attempt = db.write(h -> credentials.lockForSignIn(h, username.toLowerCase(Locale.ROOT))
                .map(account -> count(h, account)));
        if (attempt.isEmpty()) {
            hasher.burn(password);
            return new LoginResult.InvalidCredentials();
        }
        Attempt a = attempt.get();
        if (a.lockedUntil() != null) return new LoginResult.Locked(a.lockedUntil());
        if (!hasher.matches(password, a.account().passwordHash())) return new LoginResult.InvalidCredentials();
        if (!a.account().active()) return new LoginResult.Disabled();
        long id = a.account().staffId();
        return db.write(h -> {
            credentials.setFailedSignIns(h, id, 0, null);
            sessions.deleteExpired(h); // housekeeping rides on sign-ins: cheap and needs no scheduler
            return new LoginResult.LoggedIn(sessions.create(h, id), staff.find(h, id).orElseThrow());
        });
    }

    /** Inside the row lock: refuses a locked account, otherwise counts one more failure (locking at the limit). */
    private Attempt count(org.jdbi.v3.core.Handle h, Credentials.SignInState account) {
        Instant now = clock.instant();
        Instant lockedUntil = account.lockedUntil();
        if (lockedUntil != null && lockedUntil.isAfter(now)) return new Attempt(account, lockedUntil);
        int failed = lockedUntil != null ? 0 : account.failedSignIns(); // an expired lock starts a new count
        int next = failed + 1;
        credentials.setFailedSignIns(h, account.staffId(), next, next >= MAX_FAILED_LOGINS ? now.plus(LOCKOUT) : null);
        return new Attempt(account, null);
    }

    public void logout(Principal principal) {
        db.write(h -> {
            sessions.delete(h, principal.tokenHash());
            return null;
        });
        signOuts.signedOut(principal);
    }

    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 200) return Optional.empty();
        return db.read(h -> sessions.find(h, token));
    }

    /** The signed-in user's account as it is now (empty if it was deleted meanwhile). */
    public Optional<Staff> me(Principal principal) {
        return db.read(h -> staff.find(h, principal.id()));
    }
}
