package com.royalcare.scheduler.support;

import com.royalcare.testkit.ApiClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * One {@link TestServer} for all tests of a class: started before the first, closed after the last.
 * Use as {@code @RegisterExtension static final SharedServer server = new SharedServer();}.
 */
public final class SharedServer implements BeforeAllCallback, AfterAllCallback {

    private final Map<String, String> env;
    private final java.time.Clock clock;
    private TestServer server;
    private ApiClient operator;

    public SharedServer() {
        this(Map.of());
    }

    public SharedServer(Map<String, String> env) {
        this(env, java.time.Clock.systemUTC());
    }

    /** With a clock of its own: see {@link TestClocks}. */
    public SharedServer(Map<String, String> env, java.time.Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestServer.start(env, clock);
        operator = server.operator();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    public TestServer get() {
        return server;
    }

    /** A client signed in as the operator, shared by the class's tests. */
    public ApiClient operator() {
        return operator;
    }

    public ApiClient anonymous() {
        return server.anonymous();
    }

    public ApiClient newStaff(String username, String role) {
        return server.newStaff(username, role);
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public com.royalcare.scheduler.App app() {
        return server.app();
    }
}
