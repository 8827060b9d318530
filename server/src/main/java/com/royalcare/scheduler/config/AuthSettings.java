package com.royalcare.scheduler.config;

import java.time.Duration;

/**
 * Sign-in and sessions. The defaults suit production; tests shorten or widen them.
 *
 * @param sessionLifetime  absolute limit of a session from sign-in (12 h)
 * @param sessionIdle      a session with no request and no open stream for this long ends (SESSION_IDLE_MINUTES, 480)
 * @param cookieSecure     the session cookie is {@code Secure} (COOKIE_SECURE=true, or PUBLIC_URL starting with https://)
 * @param trustProxy       the client address is the right-most {@code X-Forwarded-For} entry, the one the trusted
 *                         proxy in front of us saw (TRUST_PROXY=true); otherwise the TCP peer, and the header is ignored
 * @param signInBurst      sign-in attempts one client address may make at once before it is throttled (SIGN_IN_BURST, 10)
 * @param signInPerMinute  attempts per minute an address earns back (SIGN_IN_PER_MINUTE, 10); a successful sign-in
 *                         gives its attempt back, so only failures use the allowance up
 * @param passwordChecks   password checks (bcrypt) that may run at once on this node (SIGN_IN_CONCURRENCY, the
 *                         number of cores); more wait briefly, then get 429
 */
public record AuthSettings(Duration sessionLifetime, Duration sessionIdle, boolean cookieSecure, boolean trustProxy,
                           int signInBurst, int signInPerMinute, int passwordChecks) {

    public static final AuthSettings DEFAULTS = new AuthSettings(Duration.ofHours(12), Duration.ofMinutes(480), false, false,
            10, 10, Math.max(1, Runtime.getRuntime().availableProcessors()));

    public AuthSettings {
        if (sessionLifetime == null || sessionLifetime.isNegative() || sessionLifetime.isZero()) {
            throw new InvalidConfigException("The session lifetime must be positive");
        }
        if (sessionIdle == null || sessionIdle.toMinutes() < 1) throw new InvalidConfigException("SESSION_IDLE_MINUTES must be at least 1");
        if (signInBurst < 1) throw new InvalidConfigException("SIGN_IN_BURST must be at least 1");
        if (signInPerMinute < 1) throw new InvalidConfigException("SIGN_IN_PER_MINUTE must be at least 1");
        if (passwordChecks < 1) throw new InvalidConfigException("SIGN_IN_CONCURRENCY must be at least 1");
    }
}
