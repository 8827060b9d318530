package com.royalcare.scheduler.sync;

import java.util.Objects;

/**
 * Who holds a subscription, and the one authorisation rule of sync: operators see every change;
 * everyone else sees the changes whose audience includes them.
 *
 * @param id        the account
 * @param operator  operators see everything
 * @param tokenHash the session the stream was opened with (so signing out ends exactly its streams)
 */
public record Viewer(long id, boolean operator, String tokenHash) {

    static final String GLOBAL_REFRESH = "global_refresh";

    public Viewer {
        Objects.requireNonNull(tokenHash, "tokenHash");
    }

    boolean maySee(Change c) {
        return operator || c.audience().includes(id);
    }
}
