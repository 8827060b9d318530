package com.royalcare.scheduler.web;

import io.javalin.http.Context;

import java.util.Map;
import java.util.function.Function;

/** Path and query parameters, parsed with a 400 naming the parameter when they are wrong. */
public final class Params {

    private Params() {
    }

    /** The {id} path parameter as a positive number; anything else can match no record, so 404. */
    public static long id(Context ctx) {
        String raw = ctx.pathParam("id");
        try {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw ApiException.notFound("The record '" + raw + "'");
    }

    /** A query parameter parsed by {@code parser}, or null when absent or empty. */
    public static <T> T optional(Context ctx, String name, Function<String, T> parser, String problem) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) return null;
        try {
            T value = parser.apply(raw);
            if (value != null) return value;
        } catch (RuntimeException ignored) {
            // reported below
        }
        throw new ApiException(400, "VALIDATION", "The query parameter '" + name + "' " + problem + ".",
                Map.of(name, problem), Map.of());
    }

    /** A query parameter parsed by {@code parser}; absent or empty is a 400 saying it is required. */
    public static <T> T required(Context ctx, String name, Function<String, T> parser, String problem) {
        T value = optional(ctx, name, parser, problem);
        if (value == null) {
            throw new ApiException(400, "VALIDATION", "The query parameter '" + name + "' is required.", Map.of(name, "is required"), Map.of());
        }
        return value;
    }

    public static Boolean parseBoolean(String raw) {
        return switch (raw) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(raw);
        };
    }

    /** The one rule for date ranges in queries and bodies: {@code from} may not be after {@code to} (either may be absent). */
    public static void requireOrdered(java.time.LocalDate from, java.time.LocalDate to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw new ApiException(400, "INVALID_RANGE", "'from' must not be after 'to'.", java.util.Map.of("from", "is after to"), java.util.Map.of());
        }
    }
}
