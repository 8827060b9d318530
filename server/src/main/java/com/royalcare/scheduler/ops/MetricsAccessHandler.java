package com.royalcare.scheduler.ops;

import com.royalcare.scheduler.config.WebSettings;
import com.royalcare.scheduler.web.ApiException;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * Who may read /metrics (docs/SECURITY.md, "Metrics"), one of three modes chosen by
 * {@link WebSettings}: with METRICS_TOKEN, whoever sends it as a bearer token (others: 401); with
 * METRICS_PORT, whoever reaches that port (the main port answers 404); with neither, only clients
 * on this machine that did not come through a proxy (others: 404). Metrics name every route,
 * counts of streams and users' delivery times: not for the public, and not worth a login either.
 */
final class MetricsAccessHandler {

    /** Headers a reverse proxy adds; a loopback request carrying one came from outside. */
    private static final List<String> FORWARDING_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");

    private final WebSettings settings;
    private final byte[] token;

    MetricsAccessHandler(WebSettings settings) {
        this.settings = settings;
        this.token = settings.metricsToken() == null ? null : settings.metricsToken().getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns when {@code ctx} may read /metrics; throws the answer otherwise. */
    void check(Context ctx) {
        switch (settings.metricsMode()) {
            case TOKEN -> {
                if (!tokenMatches(ctx.header("Authorization"))) {
                    ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
                    throw new ApiException(401, "METRICS_TOKEN_REQUIRED",
                            "Send the metrics token as Authorization: Bearer <METRICS_TOKEN>.", Map.of(), Map.of());
                }
            }
            case PORT -> {
                if (!onMetricsPort(ctx)) throw new NotFoundResponse();
            }
            case LOOPBACK -> {
                if (!fromThisMachineDirectly(ctx)) throw new NotFoundResponse();
            }
        }
    }

    /** In port mode, the metrics port serves /metrics and /health and nothing else. */
    void checkMetricsPortPath(Context ctx) {
        // Whenever the second port is open it serves only these two, even when a token also guards /metrics.
        if (settings.metricsPort() == 0 || !onMetricsPort(ctx)) return;
        String path = ctx.path();
        if (!path.equals("/metrics") && !path.equals("/health")) throw new NotFoundResponse();
    }

    private boolean onMetricsPort(Context ctx) {
        return ctx.req().getLocalPort() == settings.metricsPort();
    }

    private boolean tokenMatches(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        byte[] sent = header.substring(7).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(sent, token); // constant time: no guessing byte by byte
    }

    private static boolean fromThisMachineDirectly(Context ctx) {
        if (FORWARDING_HEADERS.stream().anyMatch(h -> ctx.header(h) != null)) return false;
        try {
            return InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
