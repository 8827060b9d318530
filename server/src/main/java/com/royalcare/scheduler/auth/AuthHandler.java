package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.Caller;
import com.royalcare.scheduler.web.JsonBody;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import java.net.URI;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Sign-in, sign-out, "who am I", and the gate in front of every other /api call. */
public final class AuthHandler implements RoutesSetup {

    public static final String COOKIE = "rcs_session";

    private final AuthService auth;
    private final ZoneId zone;

    /** @param zone the business time zone, in which a lock's end is told */
    public AuthHandler(AuthService auth, ZoneId zone) {
        this.auth = auth;
        this.zone = zone;
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.before("/api/*", this::authenticate);
        routes.post("/api/auth/login", this::login);
        routes.post("/api/auth/logout", this::logout);
        routes.get("/api/me", this::me);
    }

    private void login(Context ctx) {
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), Set.of("username", "password"));
        String username = body.requiredText("username", 100);
        String password = body.requiredText("password", 200);
        body.check();
        LoginResult result = auth.login(username, password);
        if (result instanceof LoginResult.LoggedIn in) {
            Cookie cookie = new Cookie(COOKIE, in.token());
            cookie.setHttpOnly(true);
            cookie.setSameSite(SameSite.LAX);
            ctx.cookie(cookie);
            ctx.json(Map.of("token", in.token(), "user", in.user()));
        } else if (result instanceof LoginResult.InvalidCredentials) {
            throw new ApiException(401, "INVALID_CREDENTIALS", "The username or password is incorrect.");
        } else if (result instanceof LoginResult.Disabled) {
            throw new ApiException(403, "ACCOUNT_DISABLED", "This account has been disabled. Please contact an operator.");
        } else if (result instanceof LoginResult.Locked locked) {
            String time = DateTimeFormatter.ofPattern("h:mm a", Locale.US).withZone(zone).format(locked.until());
            throw new ApiException(429, "ACCOUNT_LOCKED", "Too many failed sign-ins. This account is locked for "
                    + AuthService.LOCKOUT.toMinutes() + " minutes; try again after " + time + ".");
        } else {
            throw new IllegalStateException("unhandled " + result);
        }
    }

    private void logout(Context ctx) {
        auth.logout(principal(ctx));
        ctx.removeCookie(COOKIE);
        ctx.status(204);
    }

    private void me(Context ctx) {
        ctx.json(auth.me(principal(ctx)).orElseThrow(ApiException::unauthenticated));
    }

    /** The gate puts a {@link Principal} on every authenticated request. */
    private static Principal principal(Context ctx) {
        return (Principal) Caller.of(ctx);
    }

    /**
     * Every /api call but sign-in needs a live session, from the bearer header or the cookie.
     * Cookie-authenticated calls that change state must come from our own origin (CSRF).
     */
    void authenticate(Context ctx) {
        if (ctx.path().equals("/api/auth/login")) return;
        String header = ctx.header("Authorization");
        boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
        String token = bearer ? header.substring(7).trim() : ctx.cookie(COOKIE);
        Principal principal = auth.authenticate(token).orElseThrow(ApiException::unauthenticated);
        if (!bearer && changesState(ctx.method().name()) && !sameOrigin(ctx)) {
            throw ApiException.forbidden("This request came from another site and was refused.");
        }
        Caller.attach(ctx, principal);
    }

    private static boolean changesState(String method) {
        return !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
    }

    /** A browser always sends Origin on a cross-site POST/PUT/PATCH/DELETE; when present it must match Host. */
    private static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) return true;
        String host = ctx.header("Host");
        try {
            URI uri = URI.create(origin);
            String originHost = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host != null && host.equalsIgnoreCase(originHost);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
