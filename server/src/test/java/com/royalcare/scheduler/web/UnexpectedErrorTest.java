package com.royalcare.scheduler.web;

import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** A failure no rule foresaw: a bare 500 in the error shape, counted, and logged as one line. */
class UnexpectedErrorTest {

    @Test
    void an_unexpected_exception_is_a_detail_free_500_and_counted() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            new ErrorMapping(registry).addRoutes(cfg.routes);
            cfg.routes.get("/api/boom", ctx -> {
                throw new IllegalStateException("secret-detail", new IOException("disk on fire"));
            });
        }).start(0);
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/api/boom")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).contains("\"code\":\"INTERNAL\"").doesNotContain("secret-detail").doesNotContain("IllegalState")
                    .doesNotContain("disk on fire");
            assertThat(registry.counter(ErrorMapping.UNEXPECTED_ERRORS).count()).isEqualTo(1.0);
        } finally {
            app.stop();
        }
    }

    @Test
    void the_log_line_names_the_exception_its_causes_and_where_in_one_line() {
        Exception e = new IllegalStateException("outer\nsecond line", new IOException("inner", new RuntimeException("root")));
        String line = ErrorMapping.briefly(e);
        assertThat(line).doesNotContain("\n").doesNotContain("\r")
                .contains("IllegalStateException: outer second line")
                .contains("caused by java.io.IOException: inner")
                .contains("caused by java.lang.RuntimeException: root")
                .contains(" at " + UnexpectedErrorTest.class.getName());
        assertThat(line.length()).isLessThan(600);
    }
}
