package com.royalcare.scheduler.staff;

import com.royalcare.scheduler.auth.Principal;
import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.JsonBody;
import com.royalcare.scheduler.web.Params;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** HTTP for staff accounts. */
public final class StaffHandler implements RoutesSetup {

    private static final Set<String> CREATE_FIELDS = Set.of("username", "password", "name", "role", "active",
            "phone", "specialization", "pressure", "vehiclePlate");
    private static final Set<String> EDIT_FIELDS = Set.of("name", "active", "phone", "specialization", "pressure",
            "vehiclePlate", "password");

    private final StaffService service;

    public StaffHandler(StaffService service) {
        this.service = service;
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.get("/api/staff", this::list);
        routes.post("/api/staff", this::create);
        routes.get("/api/staff/{id}", this::get);
        routes.patch("/api/staff/{id}", this::update);
        routes.post("/api/staff/{id}/unlock", this::unlock);
    }

    private void list(Context ctx) {
        Role role = Params.optional(ctx, "role", raw -> Role.parse(raw).orElseThrow(), "must be operator, therapist or driver");
        Boolean active = Params.optional(ctx, "active", Params::parseBoolean, "must be true or false");
        StaffService.Listing listing = service.list(role, active);
        if (Principal.of(ctx).isOperator()) {
            ctx.json(Map.of("seq", listing.seq(), "items", service.accounts(listing)));
        } else {
            ctx.json(listing);
        }
    }

    private void get(Context ctx) {
        Staff s = service.get(Params.id(ctx));
        ctx.json(Principal.of(ctx).isOperator() ? service.account(s) : s);
    }

    /** Operators lift a sign-in lock before it runs out. */
    private void unlock(Context ctx) {
        Principal actor = Principal.of(ctx);
        actor.requireOperator();
        ctx.json(service.unlock(Params.id(ctx), actor.id()));
    }

    private void create(Context ctx) {
        Principal.of(ctx).requireOperator();
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), CREATE_FIELDS);
        String username = body.requiredText("username", 40);
        if (username != null && !StaffService.USERNAME.matcher(username).matches()) {
            body.problem("username", "must be 3-40 lowercase letters, digits, '.', '_' or '-'");
        }
        String password = body.requiredText("password", 72);
        if (password != null && password.length() < 8) body.problem("password", "must have at least 8 characters");
        String name = body.requiredText("name", 100);
        Role role = body.requiredParsed("role", 20, raw -> Role.parse(raw).orElseThrow(), "must be operator, therapist or driver");
        boolean active = body.bool("active").orElse(true);
        String phone = body.text("phone", 40).orElse(null);
        String specialization = body.text("specialization", 200).orElse(null);
        String pressure = pressure(body).flatMap(p -> p).orElse(null);
        String plate = body.text("vehiclePlate", 20).orElse(null);
        body.check();
        Staff created = service.create(new StaffDraft(username, name.strip(), role, active, phone, specialization, pressure, plate),
                password, Principal.of(ctx).id());
        ctx.status(201).header("Location", "/api/staff/" + created.id()).json(created);
    }

    private void update(Context ctx) {
        Principal actor = Principal.of(ctx);
        actor.requireOperator();
        long id = Params.id(ctx);
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), EDIT_FIELDS);
        String name = body.has("name") ? body.requiredText("name", 100) : null;
        Boolean active = body.has("active") ? body.bool("active").orElseGet(() -> {
            body.problem("active", "must be true or false");
            return null;
        }) : null;
        String password = body.has("password") ? body.requiredText("password", 72) : null;
        if (password != null && password.length() < 8) body.problem("password", "must have at least 8 characters");
        StaffEdit edit = new StaffEdit(name == null ? null : name.strip(), active,
                optionalText(body, "phone", 40), optionalText(body, "specialization", 200),
                pressure(body).orElse(null), optionalText(body, "vehiclePlate", 20), password);
        body.check();
        ctx.json(service.update(id, edit, actor.id()));
    }

    /** Absent → null (keep); null → empty (clear); text → the text. */
    private static Optional<String> optionalText(JsonBody body, String field, int max) {
        if (!body.has(field)) return null;
        return body.text(field, max).filter(s -> !s.isBlank());
    }

    private static Optional<Optional<String>> pressure(JsonBody body) {
        Optional<String> p = optionalText(body, "pressure", 20);
        if (p == null) return Optional.empty();
        Optional<String> normalised = p.map(s -> s.toLowerCase(Locale.ROOT));
        if (normalised.isPresent() && !StaffService.PRESSURES.contains(normalised.get())) {
            body.problem("pressure", "must be soft, moderate or hard");
            return Optional.empty();
        }
        return Optional.of(normalised);
    }

}
