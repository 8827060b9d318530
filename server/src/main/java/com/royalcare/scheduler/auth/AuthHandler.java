package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.web.ApiException;
import com.royalcare.scheduler.web.Caller;
import com.royalcare.scheduler.web.JsonBody;
import com.royalcare.scheduler.web.RoutesSetup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import com.royalcare.scheduler.config.AuthSettings;
import com.royalcare.scheduler.staff.StaffRules;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Sign-in, sign-out, "who am I", and the gate in front of every other /api call. */
public final class AuthHandler implements RoutesSetup {

    public static final String COOKIE = "rcs_session";

    /**
     * Answers that name a person or carry a token are never stored by a browser or proxy: that is every
     * API answer (staff, clients' names, phones and addresses on appointments, availability).
     */
    private static final String PERSONAL = "/api/";
    private static final Set<String> PASSWORD_FIELDS = Set.of("currentPassword", "newPassword");

    private final AuthService auth;
    private final AuthSettings settings;

    public AuthHandler(AuthService auth, AuthSettings settings) {
        this.auth = auth;
        this.settings = settings;
    }

    @Override
    public void addRoutes(RoutesConfig routes) {
        routes.before("/api/*", this::authenticate);
        routes.post("/api/auth/login", this::login);
        routes.post("/api/auth/logout", this::logout);
        routes.get("/api/me", this::me);
        routes.post("/api/me/password", this::changePassword);
    }

    private void login(Context ctx) {
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), Set.of("username", "password"));
        String username = body.requiredText("username", 100);
        String password = body.requiredPassword("password");
        body.check();
        LoginResult result = auth.login(username, password, clientAddress(ctx));
        if (result instanceof LoginResult.LoggedIn in) {
            Cookie cookie = new Cookie(COOKIE, in.token());
            cookie.setHttpOnly(true);
            cookie.setSameSite(SameSite.LAX);
            cookie.setSecure(settings.cookieSecure());
            cookie.setPath("/");
            ctx.cookie(cookie);
            ctx.json(Map.of("token", in.token(), "user", in.user()));
        } else if (result instanceof LoginResult.InvalidCredentials) {
            throw new ApiException(401, "INVALID_CREDENTIALS", "The username or password is incorrect. After "
                    + AuthService.MAX_FAILED_LOGINS + " failed attempts in a row, sign-in to that account from here pauses for "
                    + AuthService.LOCKOUT.toMinutes() + " minutes; an operator can lift the pause.");
        } else if (result instanceof LoginResult.Disabled) {
            throw new ApiException(403, "ACCOUNT_DISABLED", "This account has been disabled. Please contact an operator.");
        } else if (result instanceof LoginResult.Throttled t) {
            throw throttled(ctx, t.retryAfter());
        } else {
            throw new IllegalStateException("unhandled " + result);
        }
    }

    /** 429 with Retry-After in whole seconds (at least 1). */
    private static ApiException throttled(Context ctx, Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        ctx.header("Retry-After", Long.toString(seconds));
        return new ApiException(429, "TOO_MANY_ATTEMPTS", "Too many sign-in attempts from here. Try again in "
                + seconds + (seconds == 1 ? " second." : " seconds."));
    }

    /** The signed-in person changes their own password; their other sessions end, this one stays. */
    private void changePassword(Context ctx) {
        JsonBody body = JsonBody.of(ctx.bodyAsBytes(), PASSWORD_FIELDS);
        String current = body.requiredPassword("currentPassword");
        String next = body.requiredPassword("newPassword");
        if (next != null) StaffRules.passwordProblem(next).ifPresent(p -> body.problem("newPassword", p));
        if (next != null && next.equals(current)) body.problem("newPassword", "must differ from the current password");
        body.check();
        PasswordChange outcome = auth.changePassword(principal(ctx), current, next, clientAddress(ctx));
        if (outcome instanceof PasswordChange.Changed) {
            ctx.status(204);
        } else if (outcome instanceof PasswordChange.WrongCurrent) {
            throw new ApiException(403, "WRONG_PASSWORD", "The current password is not right, so the password was not changed.",
                    Map.of("currentPassword", "is not your current password"), Map.of());
        } else if (outcome instanceof PasswordChange.Throttled t) {
            throw throttled(ctx, t.retryAfter());
        } else {
            throw new IllegalStateException("unhandled " + outcome);
        }
    }

    private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile("[0-9A-Fa-f:.\\[\\]]{2,47}");

    /**
     * The address a request came from, as sign-in throttling and lockout count it. Without a trusted
     * proxy that is the TCP peer and {@code X-Forwarded-For} is ignored (anyone can send it). With
     * {@code TRUST_PROXY=true} the peer is our proxy, and the client is the right-most entry of
     * {@code X-Forwarded-For}: the one that proxy appended itself, the first hop we do not trust.
     * Entries further left were written by the client and are never believed.
     */
    private String clientAddress(Context ctx) {
        String peer = ctx.ip();
        if (!settings.trustProxy()) return peer;
        java.util.List<String> headers = java.util.Collections.list(ctx.req().getHeaders("X-Forwarded-For"));
        if (headers.isEmpty()) return peer;
        String[] hops = headers.get(headers.size() - 1).split(",");
        String last = hops[hops.length - 1].trim();
        return ADDRESS.matcher(last).matches() ? last : peer;
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
        if (ctx.path().startsWith(PERSONAL)) ctx.header("Cache-Control", "no-store");
        if (ctx.path().equals("/api/auth/login")) return;
        String header = ctx.header("Authorization");
        boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
        String token = bearer ? header.substring(7).trim() : ctx.cookie(COOKIE);
        SessionLookup session = auth.authenticate(token);
        if (session instanceof SessionLookup.Ended ended) {
            throw new ApiException(401, ended.reason().code, ended.reason().message);
        }
        if (!(session instanceof SessionLookup.Live live)) throw ApiException.unauthenticated();
        Principal principal = live.principal();
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
