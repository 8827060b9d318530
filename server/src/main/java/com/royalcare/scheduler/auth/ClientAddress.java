package com.royalcare.scheduler.auth;

import io.javalin.http.Context;

import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The address a request came from, as sign-in throttling and lockout count it. Without a trusted
 * proxy that is the TCP peer and {@code X-Forwarded-For} is ignored (anyone can send it). With
 * {@code TRUST_PROXY=true} the peer is our proxy, and the client is the right-most entry of
 * {@code X-Forwarded-For}: the one that proxy appended itself, the first hop we do not trust.
 * Entries further left were written by the client and are never believed.
 */
final class ClientAddress {

    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f:.\\[\\]]{2,47}");

    private ClientAddress() {
    }

    static String of(Context ctx, boolean trustProxy) {
        String peer = ctx.ip();
        if (!trustProxy) return peer;
        List<String> headers = Collections.list(ctx.req().getHeaders("X-Forwarded-For"));
        if (headers.isEmpty()) return peer;
        String[] hops = headers.get(headers.size() - 1).split(",");
        String last = hops[hops.length - 1].trim();
        return ADDRESS.matcher(last).matches() ? last : peer;
    }
}
