package com.royalcare.scheduler.booking;

import com.royalcare.scheduler.availability.AvailabilityHandler;
import com.royalcare.scheduler.idempotency.IdempotencyKeys;
import com.royalcare.scheduler.idempotency.Reply;
import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.Caller;
import com.royalcare.scheduler.web.ErrorMapping;
import com.royalcare.scheduler.web.JsonBody;
import com.royalcare.scheduler.web.Params;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** HTTP for services, clients and appointments: parse, call the service, map to status codes. */
public final class BookingHandler implements RoutesSetup {

    private static final Set<String> SERVICE_FIELDS = Set.of("name", "durationMinutes", "price", "active");
    private static final Set<String> CLIENT_FIELDS = Set.of("name", "phone", "address", "notes");
    private static final Set<String> BOOK_FIELDS = Set.of("clientId", "serviceIds", "therapistIds", "driverId", "date", "start",
            "end", "address", "notes", "force");
    private static final Set<String> EDIT_FIELDS = Set.of("serviceIds", "therapistIds", "driverId", "date", "start", "end",
            "address", "notes", "force");
    private static final int MAX_PEOPLE = 10;
    private static final int MAX_SERVICES = 10;
    private static final String DATE_PROBLEM = "must be a real date as YYYY-MM-DD";
    private static final String TIME_PROBLEM = "must be a time as HH:mm (00:00-23:59)";

    private final CatalogService catalog;
    private final AppointmentService appointments;
    private final IdempotencyKeys idempotency;

    BookingHandler(CatalogService catalog, AppointmentService appointments, IdempotencyKeys idempotency) {
        this.catalog = catalog;
        this.appointments = appointments;
        this.idempotency = idempotency;
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/services", ctx -> {
            Caller.of(ctx);
            ctx.json(catalog.services());
        });
        routes.post("/api/services", this::createService);
        routes.patch("/api/services/{id}", this::updateService);
        routes.get("/api/clients", ctx -> ctx.json(Map.of("items", catalog.clients(Caller.of(ctx), ctx.queryParam("q")))));
        routes.post("/api/clients", this::createClient);
        routes.get("/api/clients/{id}", ctx -> ctx.json(catalog.client(Caller.of(ctx), Params.id(ctx))));
        routes.patch("/api/clients/{id}", this::updateClient);
        routes.get("/api/appointments", this::list);
        routes.post("/api/appointments", this::book);
        routes.get("/api/appointments/{id}", ctx -> respond(ctx, appointments.get(Caller.of(ctx), Params.id(ctx))));
        routes.patch("/api/appointments/{id}", this::edit);
        routes.post("/api/appointments/{id}/accept", ctx -> {
            noBody(ctx);
            respond(ctx, appointments.accept(Caller.of(ctx), Params.id(ctx)));
        });
        routes.post("/api/appointments/{id}/reject", ctx -> respond(ctx, appointments.reject(Caller.of(ctx), Params.id(ctx), reason(ctx))));
        routes.post("/api/appointments/{id}/start", ctx -> {
            noBody(ctx);
            respond(ctx, appointments.start(Caller.of(ctx), Params.id(ctx)));
        });
        routes.post("/api/appointments/{id}/complete", this::complete);
        routes.post("/api/appointments/{id}/cancel", ctx -> respond(ctx, appointments.cancel(Caller.of(ctx), Params.id(ctx), reason(ctx))));
        routes.exception(BookingRefusal.class, (e, ctx) -> ErrorMapping.send(ctx, toHttp(e)));
    }

    /** The one place booking's refusals become statuses and codes (fields and details pass through). */
    static ApiException toHttp(BookingRefusal e) {
        int status = switch (e.reason()) {
            case NOT_FOUND -> 404;
            case FORBIDDEN -> 403;
            case INVALID_FIELD, INVALID_RANGE -> 400;
            case VERSION_MISMATCH -> 412;
            case DUPLICATE, DUPLICATE_CLIENT, STAFF_INACTIVE, STAFF_BOOKED, NOT_AVAILABLE, INVALID_TRANSITION -> 409;
        };
        String code = switch (e.reason()) {
            case INVALID_FIELD -> "VALIDATION";
            default -> e.reason().name();
        };
        return new ApiException(status, code, e.getMessage(), e.fields(), e.details());
    }

    // ---- services ----

    private void createService(Context ctx) {
        Caller p = Caller.operator(ctx);
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), SERVICE_FIELDS);
        String name = body.requiredText("name", 100);
        Integer minutes = minutes(body, true);
        Money price = price(body, true);
        boolean active = body.bool("active").orElse(true);
        body.check();
        Treatment draft = new Treatment(0, name, minutes, price, active);
        idempotency.<Treatment>create(ctx, p.id(), once -> catalog.createService(p, draft, once),
                created -> Reply.created("/api/services/" + created.id(), created));
    }

    private void updateService(Context ctx) {
        Caller p = Caller.operator(ctx);
        long id = Params.id(ctx);
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), SERVICE_FIELDS);
        String name = body.has("name") ? body.requiredText("name", 100) : null;
        Integer minutes = minutes(body, false);
        Money price = price(body, false);
        Boolean active = body.has("active") ? body.bool("active").orElseGet(() -> {
            body.problem("active", "must be true or false");
            return null;
        }) : null;
        body.check();
        ctx.json(catalog.updateService(p, id, t -> new Treatment(t.id(), name != null ? name : t.name(),
                minutes != null ? minutes : t.durationMinutes(), price != null ? price : t.price(), active != null ? active : t.active())));
    }

    private static Integer minutes(JsonBody body, boolean required) {
        if (!body.has("durationMinutes")) {
            if (required) body.problem("durationMinutes", "is required");
            return null;
        }
        Optional<Long> m = body.id("durationMinutes");
        if (m.isEmpty() || m.get() > Treatment.MAX_MINUTES) {
            body.problem("durationMinutes", "must be a whole number of minutes from 1 to " + Treatment.MAX_MINUTES);
            return null;
        }
        return m.get().intValue();
    }

    private static Money price(JsonBody body, boolean required) {
        if (!body.has("price")) {
            if (required) body.problem("price", "is required");
            return null;
        }
        Optional<BigDecimal> amount = body.decimal("price");
        if (amount.isEmpty()) {
            body.problem("price", "is required");
            return null;
        }
        try {
            return Money.of(amount.get());
        } catch (IllegalArgumentException | ArithmeticException e) {
            body.problem("price", "must be an amount from 0 to 10000000 with at most two decimals");
            return null;
        }
    }

    // ---- clients ----

    private void createClient(Context ctx) {
        Caller p = Caller.operator(ctx);
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), CLIENT_FIELDS);
        String name = body.requiredText("name", 100);
        String phone = phone(body, body.requiredText("phone", 40));
        String address = body.text("address", 300).filter(s -> !s.isBlank()).orElse(null);
        String notes = body.text("notes", 1000).filter(s -> !s.isBlank()).orElse(null);
        body.check();
        Client draft = new Client(0, name, phone, address, notes, null, null);
        idempotency.<Client>create(ctx, p.id(), once -> catalog.createClient(p, draft, once),
                created -> Reply.created("/api/clients/" + created.id(), created));
    }

    private void updateClient(Context ctx) {
        Caller p = Caller.operator(ctx);
        long id = Params.id(ctx);
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), CLIENT_FIELDS);
        String name = body.has("name") ? body.requiredText("name", 100) : null;
        String phone = body.has("phone") ? phone(body, body.requiredText("phone", 40)) : null;
        Optional<String> address = clearable(body, "address", 300);
        Optional<String> notes = clearable(body, "notes", 1000);
        body.check();
        ctx.json(catalog.updateClient(p, id, c -> new Client(c.id(), name != null ? name : c.name(), phone != null ? phone : c.phone(),
                address != null ? address.orElse(null) : c.address(), notes != null ? notes.orElse(null) : c.notes(),
                c.createdAt(), c.updatedAt())));
    }

    private static String phone(JsonBody body, String raw) {
        if (raw == null) return null;
        String normalised = Client.normalisePhone(raw);
        if (!normalised.matches("\\+?\\d{5,20}")) {
            body.problem("phone", "must be a phone number: digits, optionally a leading + and spaces or dashes");
            return null;
        }
        return normalised;
    }

    // ---- appointments ----

    private void list(Context ctx) {
        Long staffId = Params.optional(ctx, "staffId", Long::valueOf, "must be a staff id");
        LocalDate date = Params.optional(ctx, "date", AvailabilityHandler::date, DATE_PROBLEM);
        LocalDate from = Params.optional(ctx, "from", AvailabilityHandler::date, DATE_PROBLEM);
        LocalDate to = Params.optional(ctx, "to", AvailabilityHandler::date, DATE_PROBLEM);
        Appointment.Status status = Params.optional(ctx, "status", raw -> Appointment.Status.parse(raw).orElseThrow(),
                "must be pending, confirmed, rejected, in_progress, completed or cancelled");
        if (date != null) {
            if (from != null || to != null) throw ApiException.badRequest("Use either date or from/to, not both.");
            from = date;
            to = date;
        }
        Params.requireOrdered(from, to);
        ctx.json(appointments.list(Caller.of(ctx), new AppointmentRepository.Query(staffId, from, to, status)));
    }

    private void book(Context ctx) {
        Caller p = Caller.operator(ctx);
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), BOOK_FIELDS);
        Long clientId = body.id("clientId").orElse(null);
        if (clientId == null) body.problem("clientId", "is required");
        List<Long> serviceIds = body.idList("serviceIds", MAX_SERVICES).orElse(List.of());
        if (serviceIds.isEmpty()) body.problem("serviceIds", "must list at least one service");
        List<Long> therapistIds = body.idList("therapistIds", MAX_PEOPLE).orElse(List.of());
        if (therapistIds.isEmpty()) body.problem("therapistIds", "must list at least one therapist");
        if (therapistIds.stream().distinct().count() != therapistIds.size()) body.problem("therapistIds", "must list each therapist once");
        Long driverId = body.id("driverId").orElse(null);
        if (driverId != null && therapistIds.contains(driverId)) body.problem("driverId", "must not also be a therapist");
        LocalDate date = body.requiredParsed("date", 10, AvailabilityHandler::date, DATE_PROBLEM);
        LocalTime start = body.requiredParsed("start", 5, AvailabilityHandler::time, TIME_PROBLEM);
        LocalTime end = body.parsed("end", 5, AvailabilityHandler::time, TIME_PROBLEM).orElse(null);
        String address = body.text("address", 300).filter(s -> !s.isBlank()).orElse(null);
        String notes = body.text("notes", 1000).filter(s -> !s.isBlank()).orElse(null);
        boolean force = force(body);
        body.check();
        AppointmentRequest request = new AppointmentRequest(clientId, serviceIds, therapistIds, driverId, date, start, end,
                address, notes, force);
        idempotency.<Appointment>create(ctx, p.id(), once -> appointments.create(p, request, once),
                created -> Reply.created("/api/appointments/" + created.id(), created).withHeader("ETag", "\"" + created.version() + "\""));
    }

    private void edit(Context ctx) {
        Caller p = Caller.operator(ctx);
        long id = Params.id(ctx);
        Long expected = ifMatch(ctx);
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), EDIT_FIELDS);
        List<Long> serviceIds = body.has("serviceIds") ? body.idList("serviceIds", MAX_SERVICES).orElse(List.of()) : null;
        if (serviceIds != null && serviceIds.isEmpty()) body.problem("serviceIds", "must list at least one service");
        List<Long> therapistIds = body.has("therapistIds") ? body.idList("therapistIds", MAX_PEOPLE).orElse(List.of()) : null;
        if (therapistIds != null && therapistIds.isEmpty()) body.problem("therapistIds", "must list at least one therapist");
        Optional<Long> driverId = body.has("driverId") ? body.id("driverId") : null;
        LocalDate date = body.has("date") ? body.requiredParsed("date", 10, AvailabilityHandler::date, DATE_PROBLEM) : null;
        LocalTime start = body.has("start") ? body.requiredParsed("start", 5, AvailabilityHandler::time, TIME_PROBLEM) : null;
        LocalTime end = body.has("end") ? body.requiredParsed("end", 5, AvailabilityHandler::time, TIME_PROBLEM) : null;
        Optional<String> address = clearable(body, "address", 300);
        Optional<String> notes = clearable(body, "notes", 1000);
        boolean force = force(body);
        body.check();
        respond(ctx, appointments.update(p, id, expected, new AppointmentRequest.Edit(date, start, end, serviceIds, therapistIds,
                driverId, address, notes, force)));
    }

    private void complete(Context ctx) {
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), Set.of("paymentMethod", "amountPaid"));
        Appointment.PaymentMethod method = body.requiredParsed("paymentMethod", 20, raw -> Appointment.PaymentMethod.parse(raw).orElseThrow(),
                "must be cash, gcash or bank_transfer");
        Money paid = null;
        Optional<BigDecimal> amount = body.decimal("amountPaid");
        if (amount.isEmpty()) {
            body.problem("amountPaid", "is required");
        } else {
            try {
                paid = Money.of(amount.get());
            } catch (IllegalArgumentException | ArithmeticException e) {
                body.problem("amountPaid", "must be an amount from 0 with at most two decimals");
            }
        }
        body.check();
        respond(ctx, appointments.complete(Caller.of(ctx), Params.id(ctx), new Appointment.Payment(method, paid)));
    }

    /** {@code {"reason": "…"}}, required (reject, cancel). */
    private static String reason(Context ctx) {
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), Set.of("reason"));
        String reason = body.requiredText("reason", AppointmentService.REASON_MAX);
        body.check();
        return reason.strip();
    }

    /** Accept and start take no body; an empty one or {} is fine. */
    private static void noBody(Context ctx) {
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length > 0 && !new String(raw, java.nio.charset.StandardCharsets.UTF_8).isBlank()) JsonBody.of(raw, Set.of()).check();
    }

    private static boolean force(JsonBody body) {
        if (!body.has("force")) return false;
        return body.bool("force").orElseGet(() -> {
            body.problem("force", "must be true or false");
            return false;
        });
    }

    /** Absent → null (keep); null or blank → empty (clear); text → the text. */
    private static Optional<String> clearable(JsonBody body, String field, int max) {
        if (!body.has(field)) return null;
        return body.text(field, max).filter(s -> !s.isBlank());
    }

    private static void respond(Context ctx, Appointment a) {
        ctx.header("ETag", "\"" + a.version() + "\"").json(a);
    }

    /** {@code If-Match: "3"} (or W/"3", or *); absent means "whatever is current". */
    private static Long ifMatch(Context ctx) {
        String raw = ctx.header("If-Match");
        if (raw == null || raw.isBlank() || raw.trim().equals("*")) return null;
        String v = raw.trim().replaceFirst("^W/", "").replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiException(412, "VERSION_MISMATCH", "The If-Match header must be an appointment version such as \"3\".");
        }
    }
}
