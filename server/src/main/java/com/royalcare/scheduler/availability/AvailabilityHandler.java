package com.royalcare.scheduler.availability;

import com.royalcare.scheduler.auth.Principal;
import com.royalcare.scheduler.staff.Role;
import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.JsonBody;
import com.royalcare.scheduler.web.Params;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** HTTP for availability slots and the "who is free" query. */
public final class AvailabilityHandler implements RoutesSetup {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
    private static final Set<String> FIELDS = Set.of("staffId", "date", "start", "end", "available", "note", "force");
    private static final Set<String> PATCH_FIELDS = Set.of("date", "start", "end", "available", "note", "force");
    static final int NOTE_MAX = 500;

    private final AvailabilityService service;

    public AvailabilityHandler(AvailabilityService service) {
        this.service = service;
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/availability", this::list);
        routes.post("/api/availability", this::create);
        routes.get("/api/availability/{id}", this::get);
        routes.put("/api/availability/{id}", this::replace);
        routes.patch("/api/availability/{id}", this::patch);
        routes.delete("/api/availability/{id}", this::delete);
        routes.get("/api/available-staff", this::availableStaff);
    }

    private void list(Context ctx) {
        Long staffId = Params.optional(ctx, "staffId", Long::valueOf, "must be a staff id");
        LocalDate date = Params.optional(ctx, "date", AvailabilityHandler::date, "must be a real date as YYYY-MM-DD");
        LocalDate from = Params.optional(ctx, "from", AvailabilityHandler::date, "must be a real date as YYYY-MM-DD");
        LocalDate to = Params.optional(ctx, "to", AvailabilityHandler::date, "must be a real date as YYYY-MM-DD");
        if (date != null) {
            if (from != null || to != null) throw ApiException.badRequest("Use either date or from/to, not both.");
            from = date;
            to = date;
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new ApiException(400, "INVALID_RANGE", "'from' must not be after 'to'.", Map.of("from", "is after to"), Map.of());
        }
        ctx.json(service.list(Principal.of(ctx), staffId, from, to));
    }

    private void get(Context ctx) {
        respond(ctx, service.get(Principal.of(ctx), Params.id(ctx)));
    }

    private void create(Context ctx) {
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), FIELDS);
        Long staffId = body.id("staffId").orElse(null);
        boolean force = force(body);
        SlotDraft draft = draft(body, null);
        Slot created = service.create(Principal.of(ctx), staffId, draft, force);
        ctx.status(201).header("Location", "/api/availability/" + created.id());
        respond(ctx, created);
    }

    private void replace(Context ctx) {
        long id = Params.id(ctx);
        Long expected = ifMatch(ctx);
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), FIELDS);
        Long staffId = body.id("staffId").orElse(null);
        boolean force = force(body);
        SlotDraft draft = draft(body, null);
        respond(ctx, service.update(Principal.of(ctx), id, expected, current -> {
            if (staffId != null && staffId != current.staffId()) {
                throw new ApiException(400, "VALIDATION", "A slot cannot be moved to another staff member.",
                        Map.of("staffId", "must be the slot's own staff member"), Map.of());
            }
            return draft;
        }, force));
    }

    private void patch(Context ctx) {
        long id = Params.id(ctx);
        Long expected = ifMatch(ctx);
        byte[] raw = ctx.bodyAsBytes();
        JsonBody first = JsonBody.of(raw, PATCH_FIELDS);
        boolean force = force(first);
        first.check(); // fail fast on unknown fields before touching the database
        respond(ctx, service.update(Principal.of(ctx), id, expected, current -> draft(JsonBody.of(raw, PATCH_FIELDS), current), force));
    }

    private void delete(Context ctx) {
        boolean force = Boolean.TRUE.equals(Params.optional(ctx, "force", Params::parseBoolean, "must be true or false"));
        service.delete(Principal.of(ctx), Params.id(ctx), ifMatch(ctx), force);
        ctx.status(204);
    }

    private void availableStaff(Context ctx) {
        LocalDate date = required(ctx, "date", AvailabilityHandler::date, "must be a real date as YYYY-MM-DD");
        LocalTime start = required(ctx, "start", AvailabilityHandler::time, "must be a time as HH:mm");
        LocalTime end = required(ctx, "end", AvailabilityHandler::time, "must be a time as HH:mm");
        Role role = Params.optional(ctx, "role", raw -> Role.parse(raw).orElseThrow(), "must be operator, therapist or driver");
        ctx.json(Map.of("items", service.availableStaff(times(date, start, end), role)));
    }

    /** Reads date/start/end/available/note, each falling back to {@code current} when absent (PATCH). */
    private static SlotDraft draft(JsonBody body, Slot current) {
        boolean patch = current != null;
        LocalDate date = patch && !body.has("date") ? current.date()
                : body.requiredParsed("date", 10, AvailabilityHandler::date, "must be a real date as YYYY-MM-DD");
        LocalTime start = patch && !body.has("start") ? current.start()
                : body.requiredParsed("start", 5, AvailabilityHandler::time, "must be a time as HH:mm (00:00-23:59)");
        LocalTime end = patch && !body.has("end") ? current.end()
                : body.requiredParsed("end", 5, AvailabilityHandler::time, "must be a time as HH:mm (00:00-23:59)");
        boolean available = body.has("available") ? body.bool("available").orElseGet(() -> {
            body.problem("available", "must be true or false");
            return true;
        }) : patch ? current.available() : true;
        String note = patch && !body.has("note") ? current.note()
                : body.text("note", NOTE_MAX).filter(n -> !n.isBlank()).orElse(null);
        body.check();
        return new SlotDraft(times(date, start, end), available, note);
    }

    private static SlotTimes times(LocalDate date, LocalTime start, LocalTime end) {
        if (start.equals(end)) {
            throw new ApiException(400, "INVALID_RANGE", "The end time must differ from the start time "
                    + "(an end before the start means the slot runs past midnight).", Map.of("end", "equals start"), Map.of());
        }
        return new SlotTimes(date, start, end);
    }

    /** {@code "force": true} — an operator's "even though appointments need this time". */
    private static boolean force(JsonBody body) {
        return body.bool("force").orElse(false);
    }

    private static void respond(Context ctx, Slot slot) {
        ctx.header("ETag", "\"" + slot.version() + "\"").json(slot);
    }

    /** {@code If-Match: "3"} (or W/"3", or *); absent means "whatever is current". */
    private static Long ifMatch(Context ctx) {
        String raw = ctx.header("If-Match");
        if (raw == null || raw.isBlank() || raw.trim().equals("*")) return null;
        String v = raw.trim().replaceFirst("^W/", "").replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiException(412, "VERSION_MISMATCH", "The If-Match header must be a slot version such as \"3\".");
        }
    }

    private static <T> T required(Context ctx, String name, java.util.function.Function<String, T> parser, String problem) {
        T value = Params.optional(ctx, name, parser, problem);
        if (value == null) {
            throw new ApiException(400, "VALIDATION", "The query parameter '" + name + "' is required.", Map.of(name, "is required"), Map.of());
        }
        return value;
    }

    public static LocalDate date(String raw) {
        if (!DATE.matcher(raw).matches()) throw new IllegalArgumentException(raw);
        LocalDate d = LocalDate.parse(raw); // ISO parsing is strict: 2026-02-30 fails
        if (d.getYear() < 2000 || d.getYear() > 2100) throw new IllegalArgumentException(raw);
        return d;
    }

    public static LocalTime time(String raw) {
        if (!TIME.matcher(raw).matches()) throw new IllegalArgumentException(raw);
        return LocalTime.parse(raw);
    }
}
