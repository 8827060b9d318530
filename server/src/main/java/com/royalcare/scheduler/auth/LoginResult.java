package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.staff.Staff;

import java.time.Duration;

/** What a sign-in attempt came to. The handler alone turns each into an HTTP answer. */
public sealed interface LoginResult {

    record LoggedIn(String token, Staff user) implements LoginResult {
    }

    /**
     * Unknown username, wrong password, or an account locked from this address after too many
     * failures: the three are never told apart, in answer or in time.
     */
    record InvalidCredentials() implements LoginResult {
    }

    /** The password was right but the account is disabled. */
    record Disabled() implements LoginResult {
    }

    /** Too many attempts from this address, or too many password checks running; nothing was checked. */
    record Throttled(Duration retryAfter) implements LoginResult {
    }
}
