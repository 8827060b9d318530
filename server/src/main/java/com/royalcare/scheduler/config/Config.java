package com.royalcare.scheduler.config;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

/**
 * Everything the server reads from its environment, read once at startup and passed down.
 * Invalid values fail fast with a one-line reason ({@link InvalidConfigException}).
 */
public record Config(
        int port,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        ZoneId businessZone,
        Path dataDir,
        String initialOperatorPassword,
        boolean demoData,
        Duration historyRetention,
        long historyMinChanges,
        int passwordCost,
        SyncSettings sync,
        AuthSettings auth,
        int weeklyHorizonWeeks,
        Duration bookingResponse,
        Duration travelBuffer,
        WebSettings web) {

    public Config {
        if (port < 0 || port > 65535) throw new InvalidConfigException("PORT must be between 0 and 65535, got " + port);
        if (databaseUrl != null && !databaseUrl.startsWith("jdbc:postgresql://") && !databaseUrl.startsWith("jdbc:sqlite:")) {
            throw new InvalidConfigException("DATABASE_URL must be a jdbc:postgresql:// or jdbc:sqlite: URL, got " + databaseUrl);
        }
        if (initialOperatorPassword != null && initialOperatorPassword.length() < 8) {
            throw new InvalidConfigException("INITIAL_OPERATOR_PASSWORD must have at least 8 characters");
        }
        if (historyRetention.isNegative() || historyRetention.isZero()) throw new InvalidConfigException("HISTORY_RETENTION must be positive");
        if (historyMinChanges < 0) throw new InvalidConfigException("HISTORY_MIN_CHANGES must not be negative");
        if (passwordCost < 4 || passwordCost > 16) throw new InvalidConfigException("PASSWORD_COST must be between 4 and 16");
        if (sync == null) sync = SyncSettings.DEFAULTS;
        if (auth == null) auth = AuthSettings.DEFAULTS;
        if (weeklyHorizonWeeks < 1 || weeklyHorizonWeeks > 13) {
            throw new InvalidConfigException("WEEKLY_HORIZON_WEEKS must be between 1 and 13, got " + weeklyHorizonWeeks);
        }
        if (bookingResponse == null) bookingResponse = Duration.ofMinutes(30);
        if (travelBuffer == null) travelBuffer = Duration.ofMinutes(30);
        if (bookingResponse.isNegative() || bookingResponse.isZero()) {
            throw new InvalidConfigException("BOOKING_RESPONSE_MINUTES must be positive");
        }
        if (travelBuffer.isNegative() || travelBuffer.toMinutes() > 24 * 60) {
            throw new InvalidConfigException("BOOKING_TRAVEL_BUFFER_MINUTES must be between 0 and 1440");
        }
        if (web == null) web = WebSettings.DEFAULTS;
        if (web.metricsPort() != 0 && web.metricsPort() == port) {
            throw new InvalidConfigException("METRICS_PORT must differ from PORT (" + port + ")");
        }
    }

    public static Config fromEnvironment() {
        return fromMap(System.getenv());
    }

    public static Config fromMap(Map<String, String> env) {
        return new Config(
                parseInt(env, "PORT", 8080),
                blankToNull(env.get("DATABASE_URL")),
                blankToNull(env.get("DATABASE_USER")),
                env.get("DATABASE_PASSWORD"),
                parseZone(env.getOrDefault("BUSINESS_TIME_ZONE", "Asia/Manila")),
                Path.of(env.getOrDefault("DATA_DIR", "./data")),
                blankToNull(env.get("INITIAL_OPERATOR_PASSWORD")),
                parseBoolean(env, "DEMO_DATA", false),
                Duration.ofDays(parseInt(env, "HISTORY_RETENTION_DAYS", 7)),
                parseInt(env, "HISTORY_MIN_CHANGES", 100_000),
                parseInt(env, "PASSWORD_COST", 10),
                new SyncSettings(
                        Duration.ofMillis(parseInt(env, "SYNC_HEARTBEAT_MS", 15_000)),
                        Duration.ofMillis(parseInt(env, "SYNC_RETRY_MS", 2_000)),
                        parseInt(env, "SYNC_CLIENT_QUEUE", 1_000),
                        parseInt(env, "SYNC_RING_SIZE", 10_000),
                        Duration.ofMillis(parseInt(env, "SYNC_LOG_POLL_MS", 1_000)),
                        Duration.ofMinutes(parseInt(env, "HISTORY_PRUNE_MINUTES", 60)),
                        parseInt(env, "SYNC_SEND_BUFFER", 65_536),
                        parseInt(env, "SYNC_STREAMS_PER_USER", 20)),
                new AuthSettings(
                        AuthSettings.DEFAULTS.sessionLifetime(),
                        Duration.ofMinutes(parseInt(env, "SESSION_IDLE_MINUTES", 480)),
                        parseBoolean(env, "COOKIE_SECURE", false)
                                || String.valueOf(blankToNull(env.get("PUBLIC_URL"))).toLowerCase().startsWith("https://"),
                        parseBoolean(env, "TRUST_PROXY", false),
                        parseInt(env, "SIGN_IN_BURST", AuthSettings.DEFAULTS.signInBurst()),
                        parseInt(env, "SIGN_IN_PER_MINUTE", AuthSettings.DEFAULTS.signInPerMinute()),
                        parseInt(env, "SIGN_IN_CONCURRENCY", AuthSettings.DEFAULTS.passwordChecks())),
                parseInt(env, "WEEKLY_HORIZON_WEEKS", 4),
                Duration.ofMinutes(parseInt(env, "BOOKING_RESPONSE_MINUTES", 30)),
                Duration.ofMinutes(parseInt(env, "BOOKING_TRAVEL_BUFFER_MINUTES", 30)),
                new WebSettings(blankToNull(env.get("METRICS_TOKEN")), parseInt(env, "METRICS_PORT", 0)));
    }

    public boolean usesPostgres() {
        return databaseUrl != null && databaseUrl.startsWith("jdbc:postgresql:");
    }

    /** The JDBC URL actually used: the configured one, or the SQLite file under the data dir. */
    public String jdbcUrl() {
        return databaseUrl != null ? databaseUrl : "jdbc:sqlite:" + dataDir.resolve("scheduler.db");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static int parseInt(Map<String, String> env, String name, int fallback) {
        String raw = blankToNull(env.get(name));
        if (raw == null) return fallback;
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(name + " must be a whole number, got '" + raw + "'");
        }
    }

    private static boolean parseBoolean(Map<String, String> env, String name, boolean fallback) {
        String raw = blankToNull(env.get(name));
        if (raw == null) return fallback;
        return switch (raw.toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new InvalidConfigException(name + " must be true or false, got '" + raw + "'");
        };
    }

    private static ZoneId parseZone(String raw) {
        try {
            return ZoneId.of(raw.trim());
        } catch (DateTimeException e) {
            throw new InvalidConfigException("BUSINESS_TIME_ZONE is not a known time zone: '" + raw + "'");
        }
    }
}
