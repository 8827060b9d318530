package com.royalcare.scheduler.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/** Turns every failure into the one JSON error shape; nothing reaches the client as a stack trace. */
public final class ErrorMapping implements RoutesSetup {

    public static final long MAX_BODY_BYTES = 64 * 1024;
    /** Counts the 500s: failures no rule foresaw, each logged once as one line with its causes. */
    public static final String UNEXPECTED_ERRORS = "rcs_unexpected_errors_total";
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
    private static final int CAUSES_LOGGED = 3;

    private final Counter unexpected;

    public ErrorMapping(MeterRegistry registry) {
        this.unexpected = Counter.builder(UNEXPECTED_ERRORS)
                .description("Requests answered 500 because of an exception no rule maps to a client error")
                .register(registry);
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.before("/api/*", ErrorMapping::checkBody);
        routes.exception(ApiException.class, (e, ctx) -> send(ctx, e));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 404 && !ctx.path().startsWith("/api/")) notFoundPage(ctx);
            else send(ctx, fromHttp(e));
        });
        routes.exception(Exception.class, (e, ctx) -> {
            unexpected.increment();
            LOG.error("Unexpected error on {} {}: {}", ctx.req().getMethod(), ctx.path(), briefly(e));
            if (LOG.isDebugEnabled()) LOG.debug("Stack of the unexpected error on {} {}", ctx.req().getMethod(), ctx.path(), e);
            send(ctx, new ApiException(500, "INTERNAL", "Something went wrong on our side; the change was not saved."));
        });
    }

    /** One line: the exception, its first causes and where it was thrown (the full stack only at DEBUG). */
    static String briefly(Throwable e) {
        StringBuilder line = new StringBuilder(e.toString());
        StackTraceElement[] at = e.getStackTrace();
        if (at.length > 0) line.append(" at ").append(at[0]);
        Throwable cause = e.getCause();
        for (int i = 0; cause != null && cause != e && i < CAUSES_LOGGED; i++, cause = cause.getCause()) {
            line.append("; caused by ").append(cause);
        }
        return line.toString().replaceAll("[\\r\\n]+", " ");
    }

    /**
     * Refuse oversized and non-JSON bodies before anything reads them. A body — announced by a
     * Content-Length above 0 or by Transfer-Encoding (chunked) — needs {@link #isJson a JSON
     * Content-Type}; without one, or with another charset, it is 415, so nothing ever decodes a
     * body with a charset the client chose.
     */
    private static void checkBody(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length > MAX_BODY_BYTES) throw tooLarge();
        boolean hasBody = length > 0 || ctx.header("Transfer-Encoding") != null;
        if (hasBody && !isJson(ctx.header("Content-Type"))) {
            drain(ctx);
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE",
                    "Send the request body as JSON in UTF-8 (Content-Type: application/json).");
        }
    }

    /** A refused oversized body up to this size is read and dropped before the 413; larger ones are cut off. */
    static final long DISCARD_AT_MOST = 1024 * 1024;

    /**
     * Reads and drops what is left of a body refused as too large (its Content-Length over the
     * limit, or chunked and stopped by Javalin at the limit), so a client still sending it sees the
     * 413 rather than a reset. A body declared larger than {@link #DISCARD_AT_MOST} is not read:
     * Jetty cuts it off when it closes the connection.
     */
    private static void discard(Context ctx) {
        if (ctx.req().getContentLengthLong() <= DISCARD_AT_MOST) skipBody(ctx, DISCARD_AT_MOST);
    }

    /**
     * Reads and drops a refused body (at most {@link #MAX_BODY_BYTES}) before the refusal is sent.
     * Answered before its body has arrived (a chunked upload sends it after the headers), Jetty
     * closes the connection, and a client still sending the body then loses the 415 to a reset
     * (the JDK client reports "header parser received no bytes"). Never decoded, only counted.
     */
    private static void drain(Context ctx) {
        if (skipBody(ctx, MAX_BODY_BYTES) > MAX_BODY_BYTES) throw tooLarge();
    }

    /** Reads the request body and drops it, stopping once past {@code atMost}; returns how much was read. */
    private static long skipBody(Context ctx, long atMost) {
        long total = 0;
        try {
            java.io.InputStream in = ctx.req().getInputStream();
            byte[] buffer = new byte[8192];
            for (int n; total <= atMost && (n = in.read(buffer)) != -1; ) total += n;
        } catch (java.io.IOException | IllegalStateException e) {
            // the client stopped sending or sent broken chunks, or the body was taken as a reader: the refusal stands
        }
        return total;
    }

    /**
     * {@code application/json} or {@code application/<anything>+json}, any case, with parameters
     * allowed, but a {@code charset} parameter, if any, must say UTF-8.
     */
    static boolean isJson(String contentType) {
        if (contentType == null) return false;
        String[] parts = contentType.split(";", -1);
        String media = parts[0].trim().toLowerCase(Locale.ROOT);
        boolean json = media.equals("application/json")
                || (media.startsWith("application/") && media.endsWith("+json") && media.length() > "application/+json".length()
                    && media.indexOf('/') == media.lastIndexOf('/') && !media.contains(" "));
        if (!json) return false;
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            if (param.isEmpty()) continue;
            int eq = param.indexOf('=');
            if (eq <= 0) return false;
            String name = param.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = param.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) value = value.substring(1, value.length() - 1);
            if (name.equals("charset") && !value.equalsIgnoreCase("utf-8")) return false;
        }
        return true;
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
        if (e.status() == 413) discard(ctx);
        ctx.status(e.status()).json(e.body());
    }
}
