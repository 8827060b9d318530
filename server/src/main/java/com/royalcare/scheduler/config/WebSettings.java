package com.royalcare.scheduler.config;

/**
 * Who may read {@code /metrics} (docs/SECURITY.md, "Metrics"). At most one of the two is needed;
 * with neither, /metrics answers only requests from this machine that did not pass through a proxy.
 *
 * @param metricsToken a secret that scrapers send as {@code Authorization: Bearer <token>}
 *                     (METRICS_TOKEN; at least 16 characters), or null
 * @param metricsPort  a second port that serves only /metrics and /health, while the main port
 *                     answers /metrics with 404 (METRICS_PORT; 0 = none)
 */
public record WebSettings(String metricsToken, int metricsPort) {

    public static final WebSettings DEFAULTS = new WebSettings(null, 0);
    static final int TOKEN_MIN = 16;

    public WebSettings {
        if (metricsToken != null && metricsToken.isBlank()) metricsToken = null;
        if (metricsToken != null && (metricsToken.length() < TOKEN_MIN || !metricsToken.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new InvalidConfigException("METRICS_TOKEN must be at least " + TOKEN_MIN + " visible ASCII characters without spaces");
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new InvalidConfigException("METRICS_PORT must be between 1 and 65535 (or unset), got " + metricsPort);
        }
    }

    /** How /metrics is guarded, in the order the settings are checked. */
    public enum MetricsMode { TOKEN, PORT, LOOPBACK }

    public MetricsMode metricsMode() {
        if (metricsToken != null) return MetricsMode.TOKEN;
        if (metricsPort != 0) return MetricsMode.PORT;
        return MetricsMode.LOOPBACK;
    }

    @Override
    public String toString() { // never print the token
        return "WebSettings[metricsToken=" + (metricsToken == null ? "unset" : "set") + ", metricsPort=" + metricsPort + "]";
    }
}
