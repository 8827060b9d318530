package com.royalcare.scheduler.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/** Turns every failure into the one JSON error shape; nothing reaches the client as a stack trace. */
public final class ErrorMapping implements RoutesSetup {

    public static final long MAX_BODY_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.before("/api/*", ErrorMapping::checkBody);
        routes.exception(ApiException.class, (e, ctx) -> send(ctx, e));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 404 && !ctx.path().startsWith("/api/")) notFoundPage(ctx);
            else send(ctx, fromHttp(e));
        });
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unexpected error on {} {}", ctx.method(), ctx.path(), e);
            send(ctx, new ApiException(500, "INTERNAL", "Something went wrong on our side; the change was not saved."));
        });
    }

    /** Refuse oversized and non-JSON bodies before anything reads them. */
    private static void checkBody(Context ctx) {
        if (ctx.contentLength() > MAX_BODY_BYTES) throw tooLarge();
        String type = ctx.contentType();
        if (ctx.contentLength() > 0 && type != null && !type.toLowerCase(Locale.ROOT).contains("json")) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as JSON (Content-Type: application/json).");
        }
    }

    private static ApiException fromHttp(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 413 -> tooLarge();
            case 404 -> new ApiException(404, "NOT_FOUND", "There is nothing at this address.");
            case 405 -> new ApiException(405, "METHOD_NOT_ALLOWED", "This address does not accept that method.");
            default -> new ApiException(e.getStatus(), "HTTP_" + e.getStatus(), e.getMessage());
        };
    }

    /** People who mistype an address get a page with a way back; API clients keep the JSON error. */
    private static void notFoundPage(Context ctx) {
        try (var in = ErrorMapping.class.getResourceAsStream("/public/404.html")) {
            if (in == null) {
                send(ctx, fromHttp(new io.javalin.http.NotFoundResponse()));
                return;
            }
            ctx.status(404).contentType("text/html; charset=utf-8").result(in.readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", "The request body is larger than 64 KiB.");
    }

    /** Writes {@code e} as the JSON error answer; features' exception mappers end here too. */
    public static void send(Context ctx, ApiException e) {
        ctx.status(e.status()).json(e.body());
    }
}
