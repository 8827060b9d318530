package com.royalcare.scheduler.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error the client caused or must handle, rendered as
 * {@code {"error":{"code","message","fields"?, …details}}} with {@link #status()}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> fields;
    private final Map<String, Object> details;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of(), Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, String> fields, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.fields = Map.copyOf(fields);
        this.details = Map.copyOf(details);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BAD_REQUEST", message);
    }

    public static ApiException invalidField(String field, String problem) {
        return new ApiException(400, "VALIDATION", "Please correct the highlighted field: " + field + " " + problem + ".",
                Map.of(field, problem), Map.of());
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "NOT_FOUND", what + " was not found.");
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "FORBIDDEN", message);
    }

    public static ApiException unauthenticated() {
        return new ApiException(401, "UNAUTHENTICATED", "Please sign in to continue.");
    }

    public int status() {
        return status;
    }

    /** The JSON body for this error. */
    public Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", getMessage());
        if (!fields.isEmpty()) error.put("fields", fields);
        error.putAll(details);
        return Map.of("error", error);
    }
}
