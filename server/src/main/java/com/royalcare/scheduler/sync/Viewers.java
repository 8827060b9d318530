package com.royalcare.scheduler.sync;

import io.javalin.http.Context;

/**
 * Who is asking, as sync needs to know it: given by the application from its sign-in, so sync knows
 * no feature. Throws the usual API error when nobody is signed in.
 */
public interface Viewers {
    Viewer of(Context ctx);
}
