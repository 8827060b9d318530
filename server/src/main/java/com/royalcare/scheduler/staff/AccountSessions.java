package com.royalcare.scheduler.staff;

import org.jdbi.v3.core.Handle;

/** What staff asks of sign-in when an account changes, is disabled or its password reset (auth implements it). */
public interface AccountSessions {

    /** Why every session of an account ends; the signed-out screens are told which. */
    enum Why { DISABLED, PASSWORD_RESET }

    /** Ends every session of the account, inside the caller's transaction. */
    void endAll(Handle h, long staffId, Why why);

    /** The account's record was changed in the caller's transaction: nothing read of it before may be kept. */
    void accountChanged(Handle h, long staffId);
}
