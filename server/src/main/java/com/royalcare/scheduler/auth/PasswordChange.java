package com.royalcare.scheduler.auth;

import java.time.Duration;

/** What changing one's own password came to. The handler alone turns each into an HTTP answer. */
sealed interface PasswordChange {

    /** Saved; the account's other sessions (and their streams) ended, this one kept. */
    record Changed() implements PasswordChange {
    }

    /** The current password given was not the account's. Nothing changed. */
    record WrongCurrent() implements PasswordChange {
    }

    record Throttled(Duration retryAfter) implements PasswordChange {
    }
}
