package com.royalcare.scheduler.ops;

import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/** /health (database reachable?) and /metrics (Prometheus text). */
public final class OpsHandler implements RoutesSetup {

    private final Database db;
    private final PrometheusMeterRegistry registry;
    private final ZoneId zone;

    public OpsHandler(Database db, PrometheusMeterRegistry registry, ZoneId zone) {
        this.db = db;
        this.registry = registry;
        this.zone = zone;
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.get("/metrics", this::metrics);
    }

    private void health(Context ctx) {
        boolean up = db.isHealthy();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("database", db.vendor().name().toLowerCase());
        body.put("timeZone", zone.getId());
        ctx.status(up ? 200 : 503).json(body);
    }

    private void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }
}
