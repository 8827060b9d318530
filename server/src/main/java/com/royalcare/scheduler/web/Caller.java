package com.royalcare.scheduler.web;

import io.javalin.http.Context;

/**
 * Who is making the current request, as features need to know it: an id and whether they are an
 * operator. The sign-in gate attaches it to the request; handlers read it and hand it to services.
 */
public interface Caller {

    String ATTRIBUTE = "rcs.caller";

    long id();

    boolean isOperator();

    /** Operators may act for anyone; everyone else only for themselves. */
    default boolean mayActFor(long staffId) {
        return isOperator() || id() == staffId;
    }

    /** The signed-in caller of this request (401 when there is none). */
    static Caller of(Context ctx) {
        Caller c = ctx.attribute(ATTRIBUTE);
        if (c == null) throw ApiException.unauthenticated();
        return c;
    }

    /** The signed-in caller, who must be an operator (403 otherwise). */
    static Caller operator(Context ctx) {
        Caller c = of(ctx);
        if (!c.isOperator()) throw ApiException.forbidden("Only operators can do this.");
        return c;
    }

    static void attach(Context ctx, Caller caller) {
        ctx.attribute(ATTRIBUTE, caller);
    }
}
