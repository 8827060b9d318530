package com.royalcare.scheduler.web;

import io.javalin.config.RoutesConfig;

/** A feature's HTTP handler: lists its routes, App adds them all in one place. */
public interface RoutesSetup {
    void addRoutes(RoutesConfig routes);
}
