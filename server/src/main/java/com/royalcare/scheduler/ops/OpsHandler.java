package com.royalcare.scheduler.ops;

import com.royalcare.scheduler.config.WebSettings;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/** /health (database reachable?) and /metrics (Prometheus text, for those {@link MetricsAccessHandler} lets in). */
public final class OpsHandler implements RoutesSetup {

    private final Database db;
    private final PrometheusMeterRegistry registry;
    private final ZoneId zone;
    private final MetricsAccessHandler access;

    public OpsHandler(Database db, PrometheusMeterRegistry registry, ZoneId zone, WebSettings web) {
        this.db = db;
        this.registry = registry;
        this.zone = zone;
        this.access = new MetricsAccessHandler(web);
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.before(access::checkMetricsPortPath);
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
        access.check(ctx);
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }
}
