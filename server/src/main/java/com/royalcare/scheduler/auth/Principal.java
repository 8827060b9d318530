package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.staff.Role;
import com.royalcare.scheduler.web.ApiException;
import io.javalin.http.Context;

/** The signed-in user of a request, put on the context by {@link AuthHandler#authenticate}. */
public record Principal(long id, String username, Role role, String tokenHash) {

    private static final String ATTRIBUTE = "rcs.principal";

    public static Principal of(Context ctx) {
        Principal p = ctx.attribute(ATTRIBUTE);
        if (p == null) throw ApiException.unauthenticated();
        return p;
    }

    void attachTo(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }

    public void requireOperator() {
        if (!isOperator()) throw ApiException.forbidden("Only operators can do this.");
    }

    /** Operators may act for anyone; everyone else only for themselves. */
    public boolean mayActFor(long staffId) {
        return isOperator() || id == staffId;
    }
}
