package com.royalcare.scheduler.ops;

import com.royalcare.scheduler.web.Caller;
import com.royalcare.scheduler.web.JsonBody;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Update delivery as the screens see it (docs/SYNC.md, "Delivery seen from the screens"): signed-in
 * pages post small batches to {@code POST /api/client-metrics} — for each change shown, seconds
 * from its commit ({@code at}) to being on screen, and how often their stream reconnected or fell
 * back to polling. Exposed as {@code rcs_client_delivery_seconds} (histogram) and
 * {@code rcs_client_reconnects_total} / {@code rcs_client_poll_fallbacks_total}, labelled by page
 * from a fixed list, so no client can grow the label set. Values are clamped: a client's clock
 * a little ahead gives negative ages (counted as 0), one far behind cannot stretch the histogram
 * beyond {@link #DELIVERY_MAX}.
 */
public final class ClientMetricsHandler implements RoutesSetup {

    public static final String PATH = "/api/client-metrics";
    static final Set<String> PAGES = Set.of("board", "availability", "visits", "staff", "other");
    static final int MAX_ITEMS = 100;
    static final long MAX_COUNT = 100;
    static final Duration DELIVERY_MAX = Duration.ofHours(1);
    private static final Set<String> FIELDS = Set.of("page", "delivery", "reconnects", "pollFallbacks");
    private static final Duration[] BUCKETS = Stream.of(50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 300_000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private final Map<String, Meters> byPage;

    private record Meters(Timer delivery, Counter reconnects, Counter pollFallbacks) {
    }

    public ClientMetricsHandler(MeterRegistry registry) {
        Function<String, Meters> meters = page -> new Meters(
                Timer.builder("rcs_client_delivery")
                        .description("Seconds from a change's commit to a page showing it, as pages report (client clock)")
                        .tag("page", page).serviceLevelObjectives(BUCKETS)
                        .minimumExpectedValue(BUCKETS[0]).maximumExpectedValue(DELIVERY_MAX).register(registry),
                Counter.builder("rcs_client_reconnects").description("Event-stream reconnects pages report")
                        .tag("page", page).register(registry),
                Counter.builder("rcs_client_poll_fallbacks").description("Times pages fell back from the stream to long polling")
                        .tag("page", page).register(registry));
        this.byPage = PAGES.stream().collect(Collectors.toUnmodifiableMap(p -> p, meters));
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.post(PATH, this::report);
    }

    private void report(Context ctx) {
        Caller.of(ctx); // signed-in pages only (the gate has refused everyone else already)
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), FIELDS);
        String page = body.text("page", 40).filter(PAGES::contains).orElse("other");
        List<Double> delivery = body.numberList("delivery", MAX_ITEMS).orElse(List.of());
        long reconnects = body.count("reconnects").orElse(0L);
        long pollFallbacks = body.count("pollFallbacks").orElse(0L);
        body.check();
        Meters m = byPage.get(page);
        for (double seconds : delivery) m.delivery().record(clamp(seconds));
        m.reconnects().increment(Math.min(reconnects, MAX_COUNT));
        m.pollFallbacks().increment(Math.min(pollFallbacks, MAX_COUNT));
        ctx.status(204);
    }

    static Duration clamp(double seconds) {
        double max = DELIVERY_MAX.toSeconds();
        return Duration.ofNanos((long) (Math.max(0, Math.min(seconds, max)) * 1e9));
    }
}
