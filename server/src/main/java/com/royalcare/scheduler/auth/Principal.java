package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.staff.Role;
import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.Caller;
import io.javalin.http.Context;

/** The signed-in user of a request and their session, put on the request by {@link AuthHandler}'s gate. */
public record Principal(long id, String username, Role role, String tokenHash) implements Caller {

    @Override
    public boolean isOperator() {
        return role == Role.OPERATOR;
    }

    /**
     * The request's principal.
     *
     * @deprecated a bridge for {@code sync.SyncHandler} only: features read {@link Caller#of}. Delete it
     * (and its exception in ArchitectureTest) once sync no longer imports auth.
     */
    @Deprecated
    public static Principal of(Context ctx) {
        return (Principal) Caller.of(ctx);
    }

    /**
     * @deprecated a bridge for {@code sync.SyncHandler} only: handlers use {@link Caller#operator}. Delete it
     * with {@link #of}.
     */
    @Deprecated
    public void requireOperator() {
        if (!isOperator()) throw ApiException.forbidden("Only operators can do this.");
    }
}
