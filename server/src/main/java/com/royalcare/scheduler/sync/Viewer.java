package com.royalcare.scheduler.sync;

import com.royalcare.scheduler.auth.Principal;

import java.util.Objects;

/**
 * Who holds a subscription, and the one authorisation rule of sync: operators see every change;
 * therapists and drivers see only changes about themselves (staffId = their id) plus
 * {@code global_refresh} changes that name no staff member.
 */
record Viewer(long id, boolean operator, String tokenHash) {

    static final String GLOBAL_REFRESH = "global_refresh";

    Viewer {
        Objects.requireNonNull(tokenHash, "tokenHash");
    }

    static Viewer of(Principal p) {
        return new Viewer(p.id(), p.isOperator(), p.tokenHash());
    }

    boolean maySee(Change c) {
        if (operator) return true;
        return c.staffId() == null ? GLOBAL_REFRESH.equals(c.type()) : c.staffId() == id;
    }
}
