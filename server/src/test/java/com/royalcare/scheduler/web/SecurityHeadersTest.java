package com.royalcare.scheduler.web;

import com.royalcare.scheduler.support.SharedServer;
import com.royalcare.testkit.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every answer carries the security headers; pages carry a CSP that their own markup obeys. */
class SecurityHeadersTest {

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/index.html", "/login.html", "/board.html", "/availability.html", "/staff.html", "/account.html",
            "/no-such-page", "/js/api.js", "/css/app.css", "/favicon.svg", "/health", "/api/me", "/api/no-such-thing"})
    void every_answer_says_nosniff_deny_framing_and_same_origin_referrer(String path) {
        ApiClient.Response r = server.anonymous().get(path);
        assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
        assertThat(r.header("X-Frame-Options")).as(path).isEqualTo("DENY");
        assertThat(r.header("Referrer-Policy")).as(path).isEqualTo("same-origin");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/login.html", "/board.html", "/availability.html", "/staff.html", "/account.html", "/no-such-page"})
    void pages_send_a_content_security_policy_without_inline_script(String path) {
        ApiClient.Response r = server.anonymous().get(path);
        assertThat(r.header("Content-Type")).as(path).startsWith("text/html");
        List<String> directives = Stream.of(r.header("Content-Security-Policy").split(";")).map(String::trim).toList();
        assertThat(directives).as(path).contains("default-src 'self'", "script-src 'self'", "style-src 'self'",
                "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'");
        assertThat(String.join(";", directives)).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    }

    @Test
    void a_signed_in_json_answer_has_the_headers_too() {
        ApiClient.Response r = server.operator().get("/api/staff");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
    }

    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern INLINE_HANDLER = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    private static final Pattern INLINE_STYLE = Pattern.compile("<style|\\sstyle\\s*=|javascript:", Pattern.CASE_INSENSITIVE);
    /** Scripts that write markup with a style attribute, or a style attribute itself, break style-src 'self' (CSSOM is fine). */
    private static final Pattern SCRIPTED_STYLE = Pattern.compile("setAttribute\\(\\s*['\"]style|style\\s*=\\s*\\\\?['\"]|cssText|\\beval\\(|new Function\\(");

    @Test
    void no_page_or_script_in_public_relies_on_what_the_policy_forbids() throws IOException, URISyntaxException {
        Path publicDir = Path.of(SecurityHeadersTest.class.getResource("/public").toURI());
        List<Path> pages;
        List<Path> scripts;
        try (Stream<Path> files = Files.walk(publicDir)) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            pages = all.stream().filter(p -> p.toString().endsWith(".html")).toList();
            scripts = all.stream().filter(p -> p.toString().endsWith(".js")).toList();
        }
        assertThat(pages).hasSizeGreaterThanOrEqualTo(6);
        for (Path page : pages) {
            String html = Files.readString(page);
            assertThat(INLINE_SCRIPT.matcher(html).find()).as("inline <script> in %s", page.getFileName()).isFalse();
            assertThat(INLINE_HANDLER.matcher(html).find()).as("on…= handler in %s", page.getFileName()).isFalse();
            assertThat(INLINE_STYLE.matcher(html).find()).as("inline style in %s", page.getFileName()).isFalse();
        }
        for (Path script : scripts) {
            assertThat(SCRIPTED_STYLE.matcher(Files.readString(script)).find()).as("inline style or eval in %s", script.getFileName()).isFalse();
        }
    }
}
