package com.royalcare.scheduler.staff;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Optional;

/**
 * The sign-in state staff keeps for auth: the password hash and the failed-attempt counters, one
 * per account and client address. Auth decides the lockout policy; staff stores it. Callers own
 * the transaction ({@code h}).
 */
public interface Credentials {

    /**
     * An account's sign-in state as seen from one client address; {@code lockedUntil} is null when no
     * lock was ever set there or it was cleared.
     */
    record SignInState(long staffId, String passwordHash, boolean active, int failedSignIns, Instant lockedUntil) {
    }

    /**
     * The sign-in state of the account with this (lowercase) username from {@code client}, the account's
     * row locked for the rest of the transaction.
     */
    Optional<SignInState> lockForSignIn(Handle h, String username, String client);

    /** Stores the failed-attempt count and lock of the account from {@code client}; {@code (0, null)} clears both. */
    void setFailedSignIns(Handle h, long staffId, String client, int failedSignIns, Instant lockedUntil);

    /** The account's password hash, read without a lock (a read-only transaction will do). */
    Optional<String> passwordHash(Handle h, long staffId);

    /** A new password hash for the account; clears its failed sign-ins and locks from every address. */
    void setPassword(Handle h, long staffId, String passwordHash);

    /** Forgets failure counts last changed before {@code before} whose lock (if any) has ended. */
    void forgetFailuresBefore(Handle h, Instant before);
}
