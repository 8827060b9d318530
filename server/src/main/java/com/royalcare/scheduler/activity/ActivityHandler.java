package com.royalcare.scheduler.activity;

import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.Caller;
import com.royalcare.scheduler.web.Params;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code GET /api/activity?before=&limit=}: the change log read back for operators, newest first. */
public final class ActivityHandler implements RoutesSetup {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final ActivityService service;

    public ActivityHandler(ActivityService service) {
        this.service = service;
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/activity", this::list);
    }

    private void list(Context ctx) {
        Caller caller = Caller.operator(ctx);
        Long before = Params.optional(ctx, "before", ActivityHandler::positive, "must be a positive whole number");
        Long limit = Params.optional(ctx, "limit", ActivityHandler::positive, "must be a whole number from 1 to " + MAX_LIMIT);
        if (limit != null && limit > MAX_LIMIT) {
            throw ApiException.invalidField("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        }
        ActivityService.Page page = service.page(caller, before, limit == null ? DEFAULT_LIMIT : limit.intValue())
                .orElseThrow(() -> ApiException.forbidden("Only operators can read the activity feed."));
        ctx.json(page);
    }

    private static Long positive(String raw) {
        long v = Long.parseLong(raw);
        return v > 0 ? v : null;
    }
}
