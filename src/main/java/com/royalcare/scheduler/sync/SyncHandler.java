package com.royalcare.scheduler.sync;

import com.royalcare.scheduler.auth.Principal;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Map;

/** HTTP for the change log: head position (the stream and polling endpoints live beside it). */
public final class SyncHandler implements RoutesSetup {

    private final Database db;
    private final ChangeLog log;

    public SyncHandler(Database db, ChangeLog log) {
        this.db = db;
        this.log = log;
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/sync/head", this::head);
    }

    private void head(Context ctx) {
        Principal.of(ctx);
        ctx.json(Map.of("seq", db.read(log::head)));
    }
}
