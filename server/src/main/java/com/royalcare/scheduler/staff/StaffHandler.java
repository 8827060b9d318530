package com.royalcare.scheduler.staff;

import com.royalcare.scheduler.idempotency.IdempotencyKeys;
import com.royalcare.scheduler.idempotency.Reply;
import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.Caller;
import com.royalcare.scheduler.web.JsonBody;
import com.royalcare.scheduler.web.Params;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** HTTP for staff accounts: reads requests, calls {@link StaffService}, and turns its outcomes into HTTP answers. */
public final class StaffHandler implements RoutesSetup {

    private static final Set<String> CREATE_FIELDS = Set.of("username", "password", "name", "role", "active",
            "phone", "specialization", "pressure", "vehiclePlate");
    private static final Set<String> EDIT_FIELDS = Set.of("name", "active", "phone", "specialization", "pressure",
            "vehiclePlate", "password");

    private static final int USERNAME_MAX = 40;
    private static final int NAME_MAX = 100;
    private static final int PHONE_MAX = 40;
    private static final int SPECIALIZATION_MAX = 200;
    private static final int PRESSURE_MAX = 20;
    private static final int PLATE_MAX = 20;
    private static final int ROLE_MAX = 20;

    private final StaffService service;
    private final IdempotencyKeys idempotency;

    public StaffHandler(StaffService service, IdempotencyKeys idempotency) {
        this.service = service;
        this.idempotency = idempotency;
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
        Role role = Params.optional(ctx, "role", Role::parseOrThrow, Role.PROBLEM);
        Boolean active = Params.optional(ctx, "active", Params::parseBoolean, "must be true or false");
        StaffService.Listing listing = service.list(role, active);
        Caller caller = Caller.of(ctx);
        if (caller.isOperator()) {
            ctx.json(Map.of("seq", listing.seq(), "items", service.accounts(listing)));
        } else {
            ctx.json(Map.of("seq", listing.seq(), "items", listing.items().stream().map(s -> asSeenBy(caller, s)).toList()));
        }
    }

    private void get(Context ctx) {
        long id = Params.id(ctx);
        Staff s = service.get(id).orElseThrow(() -> notFound(id));
        Caller caller = Caller.of(ctx);
        ctx.json(caller.isOperator() ? service.account(s) : asSeenBy(caller, s));
    }

    /** Need to know: a therapist or driver sees their own record in full, a colleague's name and role only. */
    private static Object asSeenBy(Caller caller, Staff s) {
        return caller.id() == s.id() ? s : StaffSummary.of(s);
    }

    /** Operators lift a sign-in lock before it runs out. */
    private void unlock(Context ctx) {
        Caller actor = Caller.operator(ctx);
        long id = Params.id(ctx);
        StaffOutcome.OfUnlock outcome = service.unlock(id, actor.id());
        if (outcome instanceof StaffOutcome.Unlocked unlocked) {
            ctx.json(unlocked.account());
        } else if (outcome instanceof StaffOutcome.NotFound) {
            throw notFound(id);
        } else {
            throw new IllegalStateException("unhandled " + outcome);
        }
    }

    private void create(Context ctx) {
        Caller actor = Caller.operator(ctx);
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), CREATE_FIELDS);
        String username = body.requiredText("username", USERNAME_MAX);
        if (username != null) StaffRules.usernameProblem(username).ifPresent(p -> body.problem("username", p));
        String password = password(body);
        String name = body.requiredText("name", NAME_MAX);
        Role role = body.requiredParsed("role", ROLE_MAX, Role::parseOrThrow, Role.PROBLEM);
        boolean active = body.bool("active").orElse(true);
        String phone = body.text("phone", PHONE_MAX).orElse(null);
        String specialization = body.text("specialization", SPECIALIZATION_MAX).orElse(null);
        String pressure = pressure(body).flatMap(p -> p).orElse(null);
        String plate = body.text("vehiclePlate", PLATE_MAX).orElse(null);
        body.check();
        StaffDraft draft = new StaffDraft(username, name.strip(), role, active, phone, specialization, pressure, plate);
        // a refusal is thrown while rendering, inside the transaction: it rolls back and nothing is kept for the key
        idempotency.<StaffOutcome.OfCreate>create(ctx, actor.id(), once -> service.create(draft, password, actor.id(), once),
                outcome -> {
                    Staff saved = created(outcome);
                    return Reply.created("/api/staff/" + saved.id(), saved);
                });
    }

    /** The account a create made, or the refusal as the API error it is. */
    private static Staff created(StaffOutcome.OfCreate outcome) {
        if (outcome instanceof StaffOutcome.Saved saved) return saved.staff();
        if (outcome instanceof StaffOutcome.UsernameTaken taken) {
            throw new ApiException(409, "USERNAME_TAKEN", "The username '" + taken.username() + "' is already taken.");
        }
        if (outcome instanceof StaffOutcome.WrongRoleField wrong) throw wrongRoleField(wrong);
        throw new IllegalStateException("unhandled " + outcome);
    }

    private void update(Context ctx) {
        Caller actor = Caller.operator(ctx);
        long id = Params.id(ctx);
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), EDIT_FIELDS);
        String name = body.has("name") ? body.requiredText("name", NAME_MAX) : null;
        Boolean active = body.boolIfSent("active").orElse(null);
        String password = body.has("password") ? password(body) : null;
        StaffEdit edit = new StaffEdit(name == null ? null : name.strip(), active,
                optionalText(body, "phone", PHONE_MAX), optionalText(body, "specialization", SPECIALIZATION_MAX),
                pressure(body).orElse(null), optionalText(body, "vehiclePlate", PLATE_MAX), password);
        body.check();
        StaffOutcome.OfUpdate outcome = service.update(id, edit, actor.id());
        if (outcome instanceof StaffOutcome.Saved saved) {
            ctx.json(saved.staff());
        } else if (outcome instanceof StaffOutcome.NotFound) {
            throw notFound(id);
        } else if (outcome instanceof StaffOutcome.CannotDisableSelf) {
            throw new ApiException(400, "CANNOT_DISABLE_SELF", "You cannot disable your own account.");
        } else if (outcome instanceof StaffOutcome.WrongRoleField wrong) {
            throw wrongRoleField(wrong);
        } else {
            throw new IllegalStateException("unhandled " + outcome);
        }
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("Staff member " + id);
    }

    private static ApiException wrongRoleField(StaffOutcome.WrongRoleField wrong) {
        return switch (wrong.field()) {
            case PRESSURE -> new ApiException(400, "VALIDATION", "Only therapists have a massage pressure.",
                    Map.of("pressure", "is only for therapists"), Map.of());
            case VEHICLE_PLATE -> new ApiException(400, "VALIDATION", "Only drivers have a vehicle plate.",
                    Map.of("vehiclePlate", "is only for drivers"), Map.of());
        };
    }

    /** The required password field, checked against the password rule. */
    private static String password(JsonBody body) {
        String password = body.requiredPassword("password");
        if (password != null) StaffRules.passwordProblem(password).ifPresent(p -> body.problem("password", p));
        return password;
    }

    /** Absent → null (keep); null → empty (clear); text → the text. */
    private static Optional<String> optionalText(JsonBody body, String field, int max) {
        if (!body.has(field)) return null;
        return body.text(field, max).filter(s -> !s.isBlank());
    }

    private static Optional<Optional<String>> pressure(JsonBody body) {
        Optional<String> p = optionalText(body, "pressure", PRESSURE_MAX);
        if (p == null) return Optional.empty();
        if (p.isEmpty()) return Optional.of(Optional.empty());
        Optional<String> known = StaffRules.pressure(p.get());
        if (known.isEmpty()) {
            body.problem("pressure", StaffRules.PRESSURE_PROBLEM);
            return Optional.empty();
        }
        return Optional.of(known);
    }
}
