package com.royalcare.scheduler.web;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.List;

/**
 * The outermost layer of every request (docs/SECURITY.md): it drops method-override headers before
 * Javalin reads them (Javalin would otherwise route {@code GET} with
 * {@code X-HTTP-Method-Override: DELETE} to the DELETE handler, past the CSRF check that only
 * looks at the real method), and puts the security headers on every answer — pages, static
 * files, JSON, errors and the 503s of a stop alike.
 */
public final class WebDefenses extends Handler.Wrapper {

    /** Headers some frameworks take as "use this method instead"; none of them means anything here. */
    static final List<String> METHOD_OVERRIDES = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

    /**
     * Pages load scripts, styles, images and data from this origin only, run no inline script,
     * cannot be framed, and cannot retarget relative links or forms elsewhere.
     */
    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
            "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'");

    private static final HttpFields SECURITY_HEADERS = HttpFields.build()
            .put("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            .put("X-Content-Type-Options", "nosniff")
            .put("X-Frame-Options", "DENY")
            .put("Referrer-Policy", "same-origin")
            .asImmutable();

    public WebDefenses(Handler inner) {
        super(inner);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpFields.Mutable out = response.getHeaders();
        for (var h : SECURITY_HEADERS) out.put(h);
        return super.handle(withoutMethodOverrides(request), response, callback);
    }

    private static Request withoutMethodOverrides(Request request) {
        HttpFields headers = request.getHeaders();
        if (METHOD_OVERRIDES.stream().noneMatch(headers::contains)) return request;
        HttpFields.Mutable kept = HttpFields.build(headers);
        METHOD_OVERRIDES.forEach(kept::remove);
        HttpFields filtered = kept.asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return filtered;
            }
        };
    }
}
