package com.royalcare.scheduler.idempotency;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP answer as stored for an idempotency key: status, the headers a retry must see again
 * (Location, ETag) and the JSON body, exactly as first sent.
 */
public record Reply(int status, Map<String, String> headers, String body) {

    public Reply {
        if (status < 200 || status > 299) throw new IllegalArgumentException("only successful answers are stored, not " + status);
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** 201 Created with its Location and the created record as JSON. */
    public static Reply created(String location, Object entity) {
        return new Reply(201, Map.of("Location", location), com.royalcare.scheduler.web.Json.write(entity));
    }

    /** The same answer with one more header. */
    public Reply withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new Reply(status, all, body);
    }
}
