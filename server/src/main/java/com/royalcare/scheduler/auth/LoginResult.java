package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.staff.Staff;

import java.time.Instant;

/** What a sign-in attempt came to. The handler alone turns each into an HTTP answer. */
public sealed interface LoginResult {

    record LoggedIn(String token, Staff user) implements LoginResult {
    }

    /** Unknown username or wrong password: the two are never told apart. */
    record InvalidCredentials() implements LoginResult {
    }

    /** The password was right but the account is disabled. */
    record Disabled() implements LoginResult {
    }

    /** Too many failed attempts; nothing was checked. */
    record Locked(Instant until) implements LoginResult {
    }
}
