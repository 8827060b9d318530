package com.royalcare.scheduler.support;

import com.royalcare.scheduler.App;
import com.royalcare.scheduler.config.Config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real server, built by the same {@link App#build} Main uses, on a free port and a fresh
 * SQLite file (or any DATABASE_URL given in the environment overrides).
 */
public final class TestServer implements AutoCloseable {

    public static final String OPERATOR_PASSWORD = "operator-pass";

    private final App app;
    private final Path dataDir;

    private TestServer(App app, Path dataDir) {
        this.app = app;
        this.dataDir = dataDir;
    }

    public static TestServer start() {
        return start(Map.of());
    }

    /** Starts with test defaults overridden by {@code env} (same names as the real environment variables). */
    public static TestServer start(Map<String, String> env) {
        return start(env, java.time.Clock.systemUTC());
    }

    /** Starts with test defaults overridden by {@code env}, reading the time from {@code clock}. */
    public static TestServer start(Map<String, String> env, java.time.Clock clock) {
        Map<String, String> all = new HashMap<>();
        all.put("PORT", "0");
        all.put("DATA_DIR", tempDir().toString());
        all.put("INITIAL_OPERATOR_PASSWORD", OPERATOR_PASSWORD);
        all.put("PASSWORD_COST", "4");
        all.putAll(env);
        Config config = Config.fromMap(all);
        App app = App.build(config, clock);
        app.seed();
        app.start();
        return new TestServer(app, config.dataDir());
    }

    /** Starts a second server on the same data (and port, if given) — a restart. */
    public static TestServer restart(Path dataDir, int port, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("DATA_DIR", dataDir.toString());
        all.put("PORT", Integer.toString(port));
        return start(all);
    }

    public String baseUrl() {
        return "http://localhost:" + app.port();
    }

    public int port() {
        return app.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    public App app() {
        return app;
    }

    /** A client signed in as the operator. */
    public ApiClient operator() {
        return ApiClient.signIn(baseUrl(), "operator", OPERATOR_PASSWORD);
    }

    public ApiClient anonymous() {
        return new ApiClient(baseUrl(), null);
    }

    /** Creates a therapist or driver through the API and returns a client signed in as them. */
    public ApiClient newStaff(String username, String role) {
        operator().createStaff(username, role);
        return ApiClient.signIn(baseUrl(), username, ApiClient.passwordOf(username));
    }

    @Override
    public void close() {
        app.close();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("rcs-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
