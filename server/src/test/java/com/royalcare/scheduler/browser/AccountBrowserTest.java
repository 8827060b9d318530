package com.royalcare.scheduler.browser;

import com.royalcare.scheduler.support.TestServer;
import com.royalcare.testkit.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The account page: anyone signed in changes their own password; the other sessions end, this one stays. */
class AccountBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        Browser.requireChromium();
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    /** The input a visible label names: finding it this way proves the label is tied to it. */
    private static By field(String label) {
        return By.xpath("//label[normalize-space(text())=" + "'" + label + "'" + "]//input");
    }

    private static void openAccountPage(Browser b) {
        b.act(By.linkText("Account"), e -> e.click());
        b.waitUntil(WAIT, d -> d.getCurrentUrl().endsWith("/account.html"));
        b.waitUntil(WAIT, d -> String.valueOf(b.textOf("#account-who")).contains("petra"));
    }

    private static void fill(Browser b, String current, String next, String repeat) {
        b.type(field("Current password"), current);
        b.type(field("New password"), next);
        b.type(field("Repeat the new password"), repeat);
    }

    private static String focusedId(Browser b) {
        return (String) b.js("return document.activeElement && document.activeElement.id;");
    }

    @Test
    void a_therapist_changes_their_password_their_other_session_ends_and_only_the_new_password_signs_in() {
        server.newStaff("petra", "therapist");
        String old = ApiClient.passwordOf("petra");
        String fresh = "petra-new-pass-2";
        try (Browser b = new Browser(server.baseUrl()); Browser elsewhere = new Browser(server.baseUrl())) {
            elsewhere.signIn("petra", old, "/availability.html");
            elsewhere.waitUntil(WAIT, d -> "live".equals(elsewhere.syncStatus()));

            b.signIn("petra", old, "/availability.html");
            openAccountPage(b);
            assertThat(b.attrOf("#account-link", "aria-current")).isEqualTo("page");
            Axe.assertNoSeriousViolations(b, "account page");
            b.screenshot("account-desktop");

            // a wrong current password: said next to the field and in the alert; the form stays usable
            fill(b, "not-my-password", fresh, fresh);
            b.driver.findElement(By.id("password-submit")).click();
            b.waitUntil(WAIT, d -> d.findElement(By.id("password-error")).isDisplayed());
            assertThat(b.text(By.id("password-error"))).contains("current password is not right");
            assertThat(b.text(By.id("current-password-error"))).contains("current password is not right");
            assertThat(b.attrOf("#current-password", "aria-invalid")).isEqualTo("true");
            assertThat(focusedId(b)).isEqualTo("current-password");
            assertThat(b.driver.findElement(By.id("password-submit")).isEnabled()).isTrue();
            Axe.assertNoSeriousViolations(b, "account page, wrong current password");
            b.screenshot("account-wrong-current");
            assertThat(elsewhere.driver.getCurrentUrl()).contains("/availability.html");

            // the server's rules come back per field: too long in UTF-8 bytes (40 × "é" = 80 bytes), too short
            fill(b, old, "é".repeat(40), "é".repeat(40));
            b.driver.findElement(By.id("password-submit")).click();
            b.waitUntil(WAIT, d -> String.valueOf(b.textOf("#new-password-error")).contains("72 bytes"));
            assertThat(b.attrOf("#new-password", "aria-invalid")).isEqualTo("true");
            assertThat(b.attrOf("#current-password", "aria-invalid")).isNull();
            fill(b, old, "short", "short");
            b.driver.findElement(By.id("password-submit")).click();
            b.waitUntil(WAIT, d -> String.valueOf(b.textOf("#new-password-error")).contains("at least 8 characters"));
            assertThat(focusedId(b)).isEqualTo("new-password");

            // a repeat that differs is caught on the page, before anything is sent
            fill(b, old, fresh, fresh + "x");
            b.driver.findElement(By.id("password-submit")).click();
            b.waitUntil(WAIT, d -> String.valueOf(b.textOf("#repeat-password-error")).contains("does not match"));
            assertThat(ApiClient.signIn(server.baseUrl(), "petra", old).me()).isPositive(); // still the old one

            // the keyboard alone: type, Enter submits
            b.type(field("Current password"), old);
            b.type(field("New password"), fresh);
            b.driver.findElement(field("Repeat the new password")).clear();
            b.driver.findElement(field("Repeat the new password")).sendKeys(fresh, Keys.ENTER);
            b.waitUntil(WAIT, d -> d.findElement(By.id("password-done")).isDisplayed());
            assertThat(b.text(By.id("password-done"))).contains("password was changed").contains("still signed in here");
            assertThat(b.textOf("#announcer")).contains("password was changed");
            assertThat(focusedId(b)).isEqualTo("password-done");
            assertThat(b.js("return document.getElementById('current-password').value")).isEqualTo("");
            assertThat(b.driver.findElement(By.id("password-error")).isDisplayed()).isFalse();
            b.screenshot("account-changed");

            // the other session is sent to sign-in without a click; this one is still signed in
            elsewhere.waitUntil(WAIT, d -> d.getCurrentUrl().contains("/login.html?expired=1"));
            assertThat(elsewhere.text(By.id("login-notice"))).contains("session has ended");
            b.driver.navigate().refresh();
            b.waitFor(By.id("me-name"));
            b.waitUntil(WAIT, d -> String.valueOf(b.textOf("#account-who")).contains("petra"));
            assertThat(b.driver.getCurrentUrl()).endsWith("/account.html");

            // the old password no longer signs in; the new one does
            elsewhere.type(By.id("username"), "petra");
            elsewhere.type(By.id("password"), old);
            elsewhere.driver.findElement(By.id("login-submit")).click();
            elsewhere.waitUntil(WAIT, d -> d.findElement(By.id("login-error")).isDisplayed());
            assertThat(elsewhere.text(By.id("login-error"))).contains("username or password is incorrect");
            elsewhere.signIn("petra", fresh, "/availability.html");
            assertThat(server.anonymous().post("/api/auth/login", Map.of("username", "petra", "password", old)).status()).isEqualTo(401);
        }
        try (Browser phone = new Browser(server.baseUrl(), 390, 844)) {
            phone.signIn("petra", fresh, "/availability.html");
            phone.open("/account.html");
            phone.waitUntil(WAIT, d -> String.valueOf(phone.textOf("#account-who")).contains("petra"));
            Boolean fits = (Boolean) phone.js("return document.documentElement.scrollWidth <= window.innerWidth + 1;");
            assertThat(fits).as("the page does not scroll sideways at 390 px").isTrue();
            assertThat(phone.driver.findElement(By.id("password-submit")).isDisplayed()).isTrue();
            Axe.assertNoSeriousViolations(phone, "account page, phone");
            phone.screenshot("account-phone");
        }
    }

    @Test
    void every_role_finds_the_account_page_in_the_header() {
        server.newStaff("dario", "driver");
        try (Browser b = new Browser(server.baseUrl())) {
            b.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
            assertThat(b.attrOf("#account-link", "href")).isEqualTo("/account.html");
            b.signIn("dario", ApiClient.passwordOf("dario"), "/availability.html");
            b.act(By.linkText("Account"), e -> e.click());
            b.waitUntil(WAIT, d -> String.valueOf(b.textOf("#account-who")).contains("dario"));
        }
    }
}
