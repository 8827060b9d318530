package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.config.AuthSettings;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.staff.Credentials;
import com.royalcare.scheduler.staff.Staff;
import com.royalcare.scheduler.staff.StaffDirectory;
import com.royalcare.scheduler.sync.Audience;
import com.royalcare.scheduler.sync.ChangeLog;
import com.royalcare.scheduler.sync.NewChange;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Sign-in with lockout and throttling, sign-out, changing one's password, and resolving a token
 * to its user. The accounts and their sign-in counters belong to staff; this class decides the
 * policy and asks staff to store it.
 *
 * <p>Three defences, each for a different attack: failures are counted per account <em>and client
 * address</em> (five in a row lock that address out of that account for 15 minutes, never the real
 * user elsewhere); attempts are throttled per address ({@link SignInThrottle}: a flood gets fast
 * 429s); and password checks running at once are bounded ({@link PasswordChecks}: many addresses
 * together cannot take every core). Unknown usernames, wrong passwords and locked accounts answer
 * alike, each after one bcrypt check, so none tells which usernames exist.
 */
public final class AuthService {

    static final int MAX_FAILED_LOGINS = 5;
    static final Duration LOCKOUT = Duration.ofMinutes(15);
    /**
     * Logged when failures lock an account from an address, so an operator's open staff page shows it
     * at once. Operators only: the person is not told (it may not be them guessing) and colleagues need not know.
     */
    public static final String LOCKED_CHANGE = "staff_locked";
    /** Failure counts untouched this long (and not locking) are forgotten. */
    private static final Duration FORGET_FAILURES = Duration.ofDays(1);

    /** A counted attempt, or ({@code locked}) one refused without a check because the account is locked from here. */
    private record Attempt(Credentials.SignInState account, boolean locked) {
    }

    private final Database db;
    private final Credentials credentials;
    private final StaffDirectory staff;
    private final SessionStore sessions;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final SignOutListener signOuts;
    private final SignInThrottle throttle;
    private final PasswordChecks checks;
    private final ChangeLog changes;

    public AuthService(Database db, Credentials credentials, StaffDirectory staff, SessionStore sessions, PasswordHasher hasher,
                       Clock clock, SignOutListener signOuts, AuthSettings settings, ChangeLog changes) {
        this.db = db;
        this.changes = changes;
        this.credentials = credentials;
        this.staff = staff;
        this.sessions = sessions;
        this.hasher = hasher;
        this.clock = clock;
        this.signOuts = signOuts;
        this.throttle = new SignInThrottle(settings.signInBurst(), settings.signInPerMinute(), System::nanoTime);
        this.checks = new PasswordChecks(settings.passwordChecks());
    }

    /**
     * Counts the attempt as failed before checking the password and clears the count on success:
     * parallel guesses cannot slip past the limit while a slow bcrypt check is in flight.
     *
     * @param client the client's address, as the handler found it (TRUST_PROXY)
     */
    public LoginResult login(String username, String password, String client) {
        return guarded(client, () -> check(username.toLowerCase(Locale.ROOT), password, client),
                r -> r instanceof LoginResult.LoggedIn, LoginResult.Throttled::new);
    }

    /**
     * Runs a password check behind both defences: the address's throttle first, then the bound on
     * checks running at once. Only failures spend the address's allowance: a success, or a check the
     * node was too busy to run, gives its token back. Refused → {@code throttled} with the wait.
     */
    private <T> T guarded(String client, java.util.function.Supplier<T> check, java.util.function.Predicate<T> succeeded,
                          java.util.function.Function<Duration, T> throttled) {
        Optional<Duration> wait = throttle.take(client);
        if (wait.isPresent()) return throttled.apply(wait.get());
        Optional<T> result = checks.run(client, check);
        if (result.isEmpty() || succeeded.test(result.get())) throttle.giveBack(client);
        return result.orElseGet(() -> throttled.apply(Duration.ofSeconds(1)));
    }

    private LoginResult check(String username, String password, String client) {
        Optional<Attempt> attempt = db.write(h -> credentials.lockForSignIn(h, username, client)
                .map(account -> count(h, account, client)));
        if (attempt.isEmpty() || attempt.get().locked()) {
            hasher.burn(password); // the same work as a real check: unknown and locked take as long as wrong
            return new LoginResult.InvalidCredentials();
        }
        Attempt a = attempt.get();
        if (!hasher.matches(password, a.account().passwordHash())) return new LoginResult.InvalidCredentials();
        if (!a.account().active()) return new LoginResult.Disabled();
        long id = a.account().staffId();
        return db.write(h -> {
            credentials.setFailedSignIns(h, id, client, 0, null);
            // housekeeping rides on sign-ins: cheap and needs no scheduler
            sessions.deleteExpired(h);
            credentials.forgetFailuresBefore(h, clock.instant().minus(FORGET_FAILURES));
            return new LoginResult.LoggedIn(sessions.create(h, id), staff.find(h, id).orElseThrow());
        });
    }

    /** Inside the row lock: refuses a locked account, otherwise counts one more failure (locking at the limit). */
    private Attempt count(org.jdbi.v3.core.Handle h, Credentials.SignInState account, String client) {
        Instant now = clock.instant();
        Instant lockedUntil = account.lockedUntil();
        if (lockedUntil != null && lockedUntil.isAfter(now)) return new Attempt(account, true);
        int failed = lockedUntil != null ? 0 : account.failedSignIns(); // an expired lock starts a new count
        int next = failed + 1;
        // millisecond precision, as stored: the change says the same end time the staff record does
        Instant lock = next >= MAX_FAILED_LOGINS ? now.plus(LOCKOUT).truncatedTo(java.time.temporal.ChronoUnit.MILLIS) : null;
        credentials.setFailedSignIns(h, account.staffId(), client, next, lock);
        if (lock != null) recordLockout(h, account.staffId(), lock);
        return new Attempt(account, false);
    }

    /** In the counting transaction, so the change exists exactly when the lock does. */
    private void recordLockout(org.jdbi.v3.core.Handle h, long staffId, Instant until) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("id", staffId);
        staff.find(h, staffId).ifPresent(s -> data.put("name", s.name()));
        data.put("lockedUntil", until.toString());
        data.put("failedSignIns", MAX_FAILED_LOGINS);
        changes.append(h, new NewChange(LOCKED_CHANGE, null, Audience.operators(), List.of(), data, null));
    }

    /**
     * Changes the signed-in person's own password when {@code current} is right: the account's other
     * sessions end (their streams on this node at once, on other nodes at their next session check);
     * this session stays signed in. Throttled like sign-in.
     */
    PasswordChange changePassword(Principal principal, String current, String next, String client) {
        // the check answers Changed when the current password is right; the change itself follows
        PasswordChange checked = guarded(client, () -> db.read(h -> credentials.passwordHash(h, principal.id()))
                        .filter(hash -> hasher.matches(current, hash))
                        .<PasswordChange>map(hash -> new PasswordChange.Changed())
                        .orElseGet(PasswordChange.WrongCurrent::new),
                r -> r instanceof PasswordChange.Changed, PasswordChange.Throttled::new);
        if (!(checked instanceof PasswordChange.Changed)) return checked;
        String hash = hasher.hash(next); // outside the transaction: bcrypt is slow
        List<String> ended = db.write(h -> {
            credentials.setPassword(h, principal.id(), hash);
            return sessions.endOthers(h, principal.id(), principal.tokenHash());
        });
        for (String tokenHash : ended) {
            signOuts.signedOut(new Principal(principal.id(), principal.username(), principal.role(), tokenHash));
        }
        return new PasswordChange.Changed();
    }

    public void logout(Principal principal) {
        db.write(h -> {
            sessions.delete(h, principal.tokenHash());
            return null;
        });
        signOuts.signedOut(principal);
    }

    /** The token's session; a live one last seen over a minute ago is recorded as seen now (one write a minute, not per request). */
    SessionLookup authenticate(String token) {
        if (token == null || token.isBlank() || token.length() > 200) return new SessionLookup.None();
        SessionLookup found = sessions.find(token);
        if (found instanceof SessionLookup.Live live && live.stale()) {
            db.write(h -> {
                sessions.touch(h, live.principal().tokenHash());
                return null;
            });
        }
        return found;
    }

    /** The signed-in user's account as it is now (empty if it was deleted meanwhile). */
    public Optional<Staff> me(Principal principal) {
        return db.read(h -> staff.find(h, principal.id()));
    }
}
