package com.royalcare.scheduler.sync;

import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.JsonBody;
import com.royalcare.scheduler.web.Params;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** HTTP for live sync: head position, the event stream, long polling, and operator-triggered refreshes. */
public final class SyncHandler implements RoutesSetup {

    static final int MAX_WAIT_SECONDS = 25;
    /** The event stream's address. */
    public static final String EVENTS_PATH = "/api/events";
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final String DATE_PROBLEM = "must be a real date as YYYY-MM-DD";

    private final SyncService sync;
    private final Viewers viewers;

    public SyncHandler(SyncService sync, Viewers viewers) {
        this.sync = sync;
        this.viewers = viewers;
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/sync/head", this::head);
        routes.get(EVENTS_PATH, this::events);
        routes.get("/api/changes", this::changes);
        routes.post("/api/sync/refresh", this::refresh);
    }

    private void head(Context ctx) {
        viewers.of(ctx);
        ctx.json(Map.of("seq", sync.head()));
    }

    /** Everything is checked before the stream opens, so a refusal is a plain JSON error EventSource can see as one. */
    private void events(Context ctx) {
        Viewer p = viewers.of(ctx);
        Filter filter = filter(ctx, p);
        Long since = lastEventId(ctx);
        if (since == null) since = since(ctx);
        sync.requireOpen();
        sync.requireStreamRoom(p);
        ctx.status(200)
                .contentType("text/event-stream; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        Long from = since;
        ctx.future(() -> sync.stream(ctx.req(), ctx.res(), p, filter, from));
    }

    private void changes(Context ctx) {
        Viewer p = viewers.of(ctx);
        Filter filter = filter(ctx, p);
        Long since = since(ctx);
        Integer wait = Params.optional(ctx, "wait", Integer::valueOf, "must be a whole number of seconds from 0 to " + MAX_WAIT_SECONDS);
        if (wait != null && (wait < 0 || wait > MAX_WAIT_SECONDS)) {
            throw ApiException.invalidField("wait", "must be a whole number of seconds from 0 to " + MAX_WAIT_SECONDS);
        }
        int seconds = wait == null ? 0 : wait;
        ctx.future(() -> sync.poll(p, filter, since, seconds).thenAccept(ctx::json));
    }

    private void refresh(Context ctx) {
        Viewer p = viewers.of(ctx);
        if (!p.operator()) throw ApiException.forbidden("Only operators can do this.");
        Long staffId = null;
        LocalDate date = null;
        if (ctx.bodyAsBytes().length > 0) {
            JsonBody body = JsonBody.of(ctx.bodyAsBytes(), Set.of("staffId", "date"));
            staffId = body.id("staffId").orElse(null);
            date = body.parsed("date", 10, LocalDate::parse, DATE_PROBLEM).orElse(null);
            body.check();
        }
        ctx.json(sync.refresh(p.id(), staffId, date));
    }

    private static Filter filter(Context ctx, Viewer p) {
        Set<Long> staffIds = staffIds(ctx);
        if (!p.operator() && staffIds != null && !staffIds.equals(Set.of(p.id()))) {
            throw ApiException.forbidden("You can only follow your own changes.");
        }
        LocalDate from = Params.optional(ctx, "from", LocalDate::parse, DATE_PROBLEM);
        LocalDate to = Params.optional(ctx, "to", LocalDate::parse, DATE_PROBLEM);
        Params.requireOrdered(from, to);
        return new Filter(staffIds, from, to, types(ctx));
    }

    /** {@code staffId} may repeat, and each may be a comma list. */
    private static Set<Long> staffIds(Context ctx) {
        Set<Long> ids = new LinkedHashSet<>();
        for (String raw : ctx.queryParams("staffId")) {
            for (String part : raw.split(",")) {
                if (part.isBlank()) continue;
                try {
                    long id = Long.parseLong(part.trim());
                    if (id > 0) {
                        ids.add(id);
                        continue;
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
                throw ApiException.invalidField("staffId", "must be a staff id");
            }
        }
        return ids.isEmpty() ? null : ids;
    }

    private static Set<String> types(Context ctx) {
        String raw = ctx.queryParam("types");
        if (raw == null || raw.isBlank()) return null;
        Set<String> types = new LinkedHashSet<>();
        for (String part : raw.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) continue;
            if (!TYPE.matcher(t).matches()) throw ApiException.invalidField("types", "must be a comma-separated list of change types");
            types.add(t);
        }
        return types.isEmpty() ? null : types;
    }

    private static Long since(Context ctx) {
        return Params.optional(ctx, "since", SyncHandler::position, "must be a change sequence number (0 or more)");
    }

    /** Sent by EventSource itself when it reconnects; newer than the {@code since} of the URL it first opened. */
    private static Long lastEventId(Context ctx) {
        String raw = ctx.header("Last-Event-ID");
        if (raw == null || raw.isBlank()) return null;
        try {
            return position(raw.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("Last-Event-ID", "must be a change sequence number (0 or more)");
        }
    }

    private static Long position(String raw) {
        long v = Long.parseLong(raw);
        if (v < 0) throw new IllegalArgumentException(raw);
        return v;
    }
}
