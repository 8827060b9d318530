package com.royalcare.scheduler.auth;

/** What a token came to: a live session, one that ended for a reason the screen is told, or nothing. */
sealed interface SessionLookup {

    /** @param stale last seen more than {@link SessionStore#TOUCH_EVERY} ago: worth recording this request */
    record Live(Principal principal, boolean stale) implements SessionLookup {
    }

    record Ended(SessionEnd reason) implements SessionLookup {
    }

    /** No such session (never issued, signed out, or long gone). */
    record None() implements SessionLookup {
    }
}
