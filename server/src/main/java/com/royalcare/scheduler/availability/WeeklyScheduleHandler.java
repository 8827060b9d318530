package com.royalcare.scheduler.availability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.royalcare.scheduler.idempotency.IdempotencyKeys;
import com.royalcare.scheduler.idempotency.Reply;
import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.Caller;
import com.royalcare.scheduler.web.Json;
import com.royalcare.scheduler.web.JsonBody;
import com.royalcare.scheduler.web.Params;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** HTTP for usual weeks: read and save one, apply it to dates, copy a day. Outcomes become statuses here only. */
public final class WeeklyScheduleHandler implements RoutesSetup {

    private static final Set<String> PUT_FIELDS = Set.of("days", "autoApply", "version", "staffId");
    private static final Set<String> APPLY_FIELDS = Set.of("staffId", "from", "to");
    private static final Set<String> COPY_FIELDS = Set.of("staffId", "fromDate", "toDates");
    private static final int MAX_WINDOWS_PER_DAY = 12;
    private static final String DATE_PROBLEM = "must be a real date as YYYY-MM-DD";

    private final WeeklyScheduleService service;
    private final IdempotencyKeys idempotency;

    public WeeklyScheduleHandler(WeeklyScheduleService service, IdempotencyKeys idempotency) {
        this.service = service;
        this.idempotency = idempotency;
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/staff/{id}/weekly-schedule", this::get);
        routes.put("/api/staff/{id}/weekly-schedule", this::put);
        routes.post("/api/availability/apply-weekly", this::apply);
        routes.post("/api/availability/copy", this::copy);
    }

    private void get(Context ctx) {
        respond(ctx, service.get(Caller.of(ctx), Params.id(ctx)));
    }

    private void put(Context ctx) {
        long staffId = Params.id(ctx);
        Caller p = Caller.of(ctx);
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), PUT_FIELDS);
        Long inBody = body.id("staffId").orElse(null);
        if (inBody != null && inBody != staffId) body.problem("staffId", "must be the staff id in the address");
        boolean autoApply = body.bool("autoApply").orElse(false);
        Long version = ifMatch(ctx);
        if (version == null && body.has("version")) {
            JsonNode v = body.raw("version");
            if (v != null && v.canConvertToLong() && v.isIntegralNumber()) version = v.longValue();
            else body.problem("version", "must be a whole number");
        }
        WeekTemplate days = days(body.raw("days"), body);
        body.check();
        WeeklyScheduleService.SaveOutcome outcome = service.save(p, staffId, version, days, autoApply);
        if (outcome instanceof WeeklyScheduleService.SaveOutcome.Saved s) {
            respond(ctx, s.schedule());
        } else if (outcome instanceof WeeklyScheduleService.SaveOutcome.Stale s) {
            throw new ApiException(412, "VERSION_MISMATCH",
                    "This weekly schedule was changed by someone else (now version " + s.current().version()
                            + "). Look at the newer one and try again.",
                    Map.of(), Map.of("currentVersion", s.current().version(), "current", s.current().view()));
        } else if (outcome instanceof WeeklyScheduleService.SaveOutcome.Overlapping o) {
            throw new ApiException(400, "WEEKLY_OVERLAP",
                    "These windows overlap: " + String.join("; ", o.overlaps().stream().map(WeekTemplate.Overlap::describe).toList()) + ".",
                    Map.of("days", "has overlapping windows"),
                    Map.of("overlaps", o.overlaps().stream().map(x -> List.of(placed(x.first()), placed(x.second()))).toList()));
        }
    }

    private void apply(Context ctx) {
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), APPLY_FIELDS);
        Long staffId = body.id("staffId").orElse(null);
        LocalDate from = body.requiredParsed("from", 10, AvailabilityHandler::date, DATE_PROBLEM);
        LocalDate to = body.requiredParsed("to", 10, AvailabilityHandler::date, DATE_PROBLEM);
        body.check();
        Params.requireOrdered(from, to);
        if (ChronoUnit.DAYS.between(from, to) + 1 > WeeklyScheduleService.MAX_APPLY_DAYS) {
            throw new ApiException(400, "INVALID_RANGE", "Apply at most " + WeeklyScheduleService.MAX_APPLY_DAYS
                    + " days at a time.", Map.of("to", "is too far after from"), Map.of());
        }
        Caller p = Caller.of(ctx);
        idempotency.<WeeklyScheduleService.Result>create(ctx, p.id(), once -> service.apply(p, staffId, from, to, once),
                WeeklyScheduleHandler::reply);
    }

    private void copy(Context ctx) {
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), COPY_FIELDS);
        Long staffId = body.id("staffId").orElse(null);
        LocalDate fromDate = body.requiredParsed("fromDate", 10, AvailabilityHandler::date, DATE_PROBLEM);
        JsonNode list = body.raw("toDates");
        Set<LocalDate> toDates = new LinkedHashSet<>();
        if (list == null || !list.isArray() || list.isEmpty()) {
            body.problem("toDates", "must be a list of one or more dates");
        } else if (list.size() > WeeklyScheduleService.MAX_APPLY_DAYS) {
            body.problem("toDates", "must have at most " + WeeklyScheduleService.MAX_APPLY_DAYS + " dates");
        } else {
            for (JsonNode d : list) {
                try {
                    if (!d.isTextual()) throw new IllegalArgumentException();
                    toDates.add(AvailabilityHandler.date(d.textValue()));
                } catch (RuntimeException e) {
                    body.problem("toDates", "must hold only real dates as YYYY-MM-DD");
                }
            }
            if (fromDate != null && toDates.contains(fromDate)) body.problem("toDates", "must not include the day copied from");
        }
        body.check();
        Caller p = Caller.of(ctx);
        idempotency.<WeeklyScheduleService.Result>create(ctx, p.id(), once -> service.copy(p, staffId, fromDate, List.copyOf(toDates), once),
                WeeklyScheduleHandler::reply);
    }

    /** {"mon":[{"start":"13:00","end":"01:00"}],…}; a missing day has no windows. Problems go into {@code body}. */
    private static WeekTemplate days(JsonNode node, JsonBody body) {
        if (node == null || node.isNull()) {
            body.problem("days", "is required");
            return WeekTemplate.EMPTY;
        }
        if (!(node instanceof ObjectNode obj)) {
            body.problem("days", "must be an object with mon … sun");
            return WeekTemplate.EMPTY;
        }
        Map<DayOfWeek, List<WeeklyWindow>> out = new EnumMap<>(DayOfWeek.class);
        Iterator<Map.Entry<String, JsonNode>> fields = obj.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = e.getKey();
            DayOfWeek day = WeekTemplate.parseKey(key).orElse(null);
            String field = "days." + key;
            if (day == null) {
                body.problem(field, "is not a day (use mon, tue, wed, thu, fri, sat, sun)");
                continue;
            }
            JsonNode ws = e.getValue();
            if (!ws.isArray()) {
                body.problem(field, "must be a list of {start, end} windows");
                continue;
            }
            if (ws.size() > MAX_WINDOWS_PER_DAY) {
                body.problem(field, "must have at most " + MAX_WINDOWS_PER_DAY + " windows");
                continue;
            }
            List<WeeklyWindow> windows = new ArrayList<>();
            for (int i = 0; i < ws.size(); i++) {
                JsonNode w = ws.get(i);
                String at = field + "[" + i + "]";
                LocalTime start = time(w.get("start"));
                LocalTime end = time(w.get("end"));
                if (!w.isObject() || w.size() != 2 || start == null || end == null) {
                    body.problem(at, "must be {\"start\":\"HH:mm\",\"end\":\"HH:mm\"} (00:00-23:59)");
                } else if (start.equals(end)) {
                    body.problem(at, "must end at a different time than it starts (an end before the start runs past midnight)");
                } else {
                    windows.add(new WeeklyWindow(start, end));
                }
            }
            out.put(day, windows);
        }
        return new WeekTemplate(out);
    }

    private static LocalTime time(JsonNode n) {
        if (n == null || !n.isTextual()) return null;
        try {
            return AvailabilityHandler.time(n.textValue());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Map<String, Object> placed(WeekTemplate.Placed p) {
        return Map.of("day", WeekTemplate.key(p.day()), "start", p.window().start().toString(), "end", p.window().end().toString());
    }

    /** 200 with what was created and skipped; a retry with the same Idempotency-Key gets this same answer. */
    private static Reply reply(WeeklyScheduleService.Result r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("created", r.created());
        out.put("skipped", r.skipped());
        return new Reply(200, Map.of(), Json.write(out));
    }

    private static void respond(Context ctx, WeeklySchedule s) {
        ctx.header("ETag", "\"" + s.version() + "\"").json(s.view());
    }

    /** {@code If-Match: "3"} (or W/"3", or *); absent means "whatever is current". */
    private static Long ifMatch(Context ctx) {
        String raw = ctx.header("If-Match");
        if (raw == null || raw.isBlank() || raw.trim().equals("*")) return null;
        String v = raw.trim().replaceFirst("^W/", "").replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiException(412, "VERSION_MISMATCH", "The If-Match header must be a schedule version such as \"3\".");
        }
    }
}
