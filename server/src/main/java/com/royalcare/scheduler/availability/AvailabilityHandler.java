package com.royalcare.scheduler.availability;

import com.royalcare.scheduler.idempotency.IdempotencyKeys;
import com.royalcare.scheduler.idempotency.Reply;
import com.royalcare.scheduler.staff.Role;
import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.Caller;
import com.royalcare.scheduler.web.ErrorMapping;
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

/**
 * HTTP for availability slots and the "who is free" query: reads requests, calls
 * {@link AvailabilityService}, and turns its refusals into HTTP answers.
 */
public final class AvailabilityHandler implements RoutesSetup {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
    private static final Set<String> FIELDS = Set.of("staffId", "date", "start", "end", "available", "note", "force");
    private static final Set<String> PATCH_FIELDS = Set.of("date", "start", "end", "available", "note", "force");
    static final int NOTE_MAX = 500;
    private static final String DATE_PROBLEM = "must be a real date as YYYY-MM-DD";

    private final AvailabilityService service;
    private final IdempotencyKeys idempotency;

    public AvailabilityHandler(AvailabilityService service, IdempotencyKeys idempotency) {
        this.service = service;
        this.idempotency = idempotency;
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
        routes.exception(AvailabilityRefusal.class, (e, ctx) -> ErrorMapping.send(ctx, toHttp(e)));
    }

    /** The one place availability's refusals become statuses, codes and fields. */
    static ApiException toHttp(AvailabilityRefusal e) {
        String message = e.getMessage();
        return switch (e.reason()) {
            case SLOT_NOT_FOUND, STAFF_NOT_FOUND -> new ApiException(404, "NOT_FOUND", message);
            case NOT_YOURS -> ApiException.forbidden(message);
            case NO_AVAILABILITY -> new ApiException(400, "NO_AVAILABILITY", message,
                    Map.of("staffId", "must be a therapist or driver"), Map.of());
            case STAFF_REQUIRED -> new ApiException(400, "VALIDATION", message, Map.of("staffId", "is required for operators"), Map.of());
            case OTHER_STAFF -> new ApiException(400, "VALIDATION", message,
                    Map.of("staffId", "must be the slot's own staff member"), Map.of());
            case STAFF_INACTIVE -> new ApiException(409, "STAFF_INACTIVE", message);
            case VERSION_MISMATCH -> new ApiException(412, "VERSION_MISMATCH", message, Map.of(),
                    Map.of("currentVersion", e.currentVersion()));
            case OVERLAP -> new ApiException(409, "OVERLAP", message, Map.of(), Map.of("conflictingSlotId", e.conflictingSlotId()));
            case SLOT_ENDED -> new ApiException(400, "SLOT_IN_THE_PAST", message);
            case IN_THE_PAST -> new ApiException(400, "SLOT_IN_THE_PAST", message, Map.of("date", "ends in the past"), Map.of());
            case TOO_FAR_AHEAD -> new ApiException(400, "TOO_FAR_AHEAD", message, Map.of("date", "is more than a year ahead"), Map.of());
            case NO_SUCH_TIME -> new ApiException(400, "NO_SUCH_TIME", message, Map.of("start", "does not exist on this date"), Map.of());
            case RANGE_IN_THE_PAST -> new ApiException(400, "SLOT_IN_THE_PAST", message, Map.of("to", "is in the past"), Map.of());
            case RANGE_TOO_FAR_AHEAD -> new ApiException(400, "TOO_FAR_AHEAD", message, Map.of("to", "is more than a year ahead"), Map.of());
            case SLOT_HAS_BOOKINGS -> new ApiException(409, "SLOT_HAS_BOOKINGS", message, Map.of(),
                    Map.of("appointmentIds", e.appointmentIds()));
            case FORCE_NOT_ALLOWED -> ApiException.forbidden(message);
        };
    }

    private void list(Context ctx) {
        Long staffId = Params.optional(ctx, "staffId", Long::valueOf, "must be a staff id");
        LocalDate date = Params.optional(ctx, "date", AvailabilityHandler::date, DATE_PROBLEM);
        LocalDate from = Params.optional(ctx, "from", AvailabilityHandler::date, DATE_PROBLEM);
        LocalDate to = Params.optional(ctx, "to", AvailabilityHandler::date, DATE_PROBLEM);
        if (date != null) {
            if (from != null || to != null) throw ApiException.badRequest("Use either date or from/to, not both.");
            from = date;
            to = date;
        }
        Params.requireOrdered(from, to);
        ctx.json(service.list(Caller.of(ctx), staffId, from, to));
    }

    private void get(Context ctx) {
        respond(ctx, service.get(Caller.of(ctx), Params.id(ctx)));
    }

    private void create(Context ctx) {
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), FIELDS);
        Long staffId = body.id("staffId").orElse(null);
        boolean force = force(body);
        SlotDraft draft = draft(body, null);
        Caller caller = Caller.of(ctx);
        idempotency.<Slot>create(ctx, caller.id(), once -> service.create(caller, staffId, draft, force, once),
                created -> Reply.created("/api/availability/" + created.id(), created).withHeader("ETag", etag(created)));
    }

    private void replace(Context ctx) {
        long id = Params.id(ctx);
        Long expected = ifMatch(ctx);
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), FIELDS);
        Long staffId = body.id("staffId").orElse(null);
        boolean force = force(body);
        SlotDraft draft = draft(body, null);
        respond(ctx, service.update(Caller.of(ctx), id, expected, staffId, current -> draft, force));
    }

    private void patch(Context ctx) {
        long id = Params.id(ctx);
        Long expected = ifMatch(ctx);
        byte[] raw = ctx.bodyAsBytes();
        JsonBody first = JsonBody.of(raw, PATCH_FIELDS);
        boolean force = force(first);
        first.check(); // fail fast on unknown fields before touching the database
        respond(ctx, service.update(Caller.of(ctx), id, expected, null, current -> draft(JsonBody.of(raw, PATCH_FIELDS), current), force));
    }

    private void delete(Context ctx) {
        boolean force = Boolean.TRUE.equals(Params.optional(ctx, "force", Params::parseBoolean, "must be true or false"));
        service.delete(Caller.of(ctx), Params.id(ctx), ifMatch(ctx), force);
        ctx.status(204);
    }

    private void availableStaff(Context ctx) {
        LocalDate date = Params.required(ctx, "date", AvailabilityHandler::date, DATE_PROBLEM);
        LocalTime start = Params.required(ctx, "start", AvailabilityHandler::time, "must be a time as HH:mm");
        LocalTime end = Params.required(ctx, "end", AvailabilityHandler::time, "must be a time as HH:mm");
        Role role = Params.optional(ctx, "role", Role::parseOrThrow, Role.PROBLEM);
        ctx.json(Map.of("items", service.availableStaff(Caller.of(ctx), times(date, start, end), role)));
    }

    /** Reads date/start/end/available/note, each falling back to {@code current} when absent (PATCH). */
    private static SlotDraft draft(JsonBody body, Slot current) {
        boolean patch = current != null;
        LocalDate date = patch && !body.has("date") ? current.date()
                : body.requiredParsed("date", 10, AvailabilityHandler::date, DATE_PROBLEM);
        LocalTime start = patch && !body.has("start") ? current.start()
                : body.requiredParsed("start", 5, AvailabilityHandler::time, "must be a time as HH:mm (00:00-23:59)");
        LocalTime end = patch && !body.has("end") ? current.end()
                : body.requiredParsed("end", 5, AvailabilityHandler::time, "must be a time as HH:mm (00:00-23:59)");
        boolean available = body.has("available") ? body.boolIfSent("available").orElse(true) : patch ? current.available() : true;
        String note = patch && !body.has("note") ? current.note()
                : body.text("note", NOTE_MAX).filter(n -> !n.isBlank()).orElse(null);
        body.check();
        return new SlotDraft(times(date, start, end), available, note);
    }

    /** SlotTimes holds the rule that start and end differ; here it only becomes a 400. */
    private static SlotTimes times(LocalDate date, LocalTime start, LocalTime end) {
        try {
            return new SlotTimes(date, start, end);
        } catch (SlotTimes.EmptySlot e) {
            throw new ApiException(400, "INVALID_RANGE", e.getMessage(), Map.of("end", "equals start"), Map.of());
        }
    }

    /** {@code "force": true} — an operator's "even though appointments need this time". */
    private static boolean force(JsonBody body) {
        return body.bool("force").orElse(false);
    }

    private static void respond(Context ctx, Slot slot) {
        ctx.header("ETag", etag(slot)).json(slot);
    }

    private static String etag(Slot slot) {
        return "\"" + slot.version() + "\"";
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
