package com.royalcare.scheduler.staff;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Optional;

/**
 * The sign-in state staff keeps for auth: the password hash and the failed-attempt counter.
 * Auth decides the lockout policy; staff stores it. Callers own the transaction ({@code h}).
 */
public interface Credentials {

    /** An account's sign-in state; {@code lockedUntil} is null when no lock was ever set or it was cleared. */
    record SignInState(long staffId, String passwordHash, boolean active, int failedSignIns, Instant lockedUntil) {
    }

    /** The sign-in state of the account with this (lowercase) username, its row locked for the rest of the transaction. */
    Optional<SignInState> lockForSignIn(Handle h, String username);

    /** Stores the failed-attempt count and lock; {@code (0, null)} clears both. */
    void setFailedSignIns(Handle h, long staffId, int failedSignIns, Instant lockedUntil);
}
