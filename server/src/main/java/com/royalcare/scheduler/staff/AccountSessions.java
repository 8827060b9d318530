package com.royalcare.scheduler.staff;

import org.jdbi.v3.core.Handle;

/** What staff asks of sign-in when an account is disabled (auth implements it). */
@FunctionalInterface
public interface AccountSessions {

    /** Ends every session of the account, inside the caller's transaction. */
    void endAll(Handle h, long staffId);
}
