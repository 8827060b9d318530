package com.royalcare.scheduler.browser;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.royalcare.scheduler.browser.BrowserFixtures.DAY;
import static com.royalcare.scheduler.browser.BrowserFixtures.PREVIOUS_DAY;
import static com.royalcare.scheduler.browser.BrowserFixtures.createSlot;
import static org.assertj.core.api.Assertions.assertThat;

/** The pages in a real Chromium: sign-in and roles, the availability form, the operator's tools, the board's layout. */
class PagesBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestServer server;

    @BeforeAll
    static void startServer() {
        Browser.requireChromium();
        // the fixed dates (BrowserFixtures.DAY, 2030) must be near "today" for therapists' writes
        server = TestServer.start(java.util.Map.of(),
                com.royalcare.scheduler.support.TestClocks.startingAt(java.time.LocalDate.parse(BrowserFixtures.PREVIOUS_DAY).minusDays(10)));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void signed_out_visitor_lands_on_sign_in_and_each_role_on_its_own_page() {
        server.newStaff("pia", "therapist");
        try (Browser browser = new Browser(server.baseUrl())) {
            browser.open("/");
            browser.waitUntil(WAIT, d -> d.getCurrentUrl().endsWith("/login.html"));
            assertThat(browser.driver.findElement(By.id("login-notice")).isDisplayed()).isFalse();

            browser.type(By.id("username"), "pia");
            browser.type(By.id("password"), "wrong-password");
            browser.driver.findElement(By.id("login-submit")).click();
            browser.waitUntil(WAIT, d -> d.findElement(By.id("login-error")).isDisplayed());
            assertThat(browser.text(By.id("login-error"))).isNotBlank();
            browser.screenshot("login-error");

            browser.signIn("pia", ApiClient.passwordOf("pia"), "/availability.html");
            assertThat(browser.text(By.id("me-name"))).isEqualTo("Test pia");
            assertThat(browser.text(By.id("me-role"))).isEqualToIgnoringCase("therapist");
            browser.open("/board.html"); // not an operator: sent to their own page
            browser.waitUntil(WAIT, d -> d.getCurrentUrl().contains("/availability.html"));

            browser.click(By.id("sign-out"));
            browser.waitUntil(WAIT, d -> d.getCurrentUrl().contains("/login.html?signedOut=1"));
            browser.open("/");
            browser.waitUntil(WAIT, d -> d.getCurrentUrl().endsWith("/login.html"));
        }
        try (Browser browser = new Browser(server.baseUrl())) {
            browser.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
            assertThat(browser.text(By.id("me-role"))).isEqualToIgnoringCase("operator");
        }
    }

    @Test
    void a_session_that_ends_mid_use_returns_to_sign_in_with_a_message() {
        ApiClient quinn = server.newStaff("quinn", "driver");
        server.newStaff("ruth", "therapist");
        long quinnId = quinn.me();
        try (Browser browser = new Browser(server.baseUrl())) {
            browser.signIn("quinn", ApiClient.passwordOf("quinn"), "/availability.html");
            ApiClient.Response disabled = server.operator().patch("/api/staff/" + quinnId, Map.of("active", false), null);
            assertThat(disabled.status()).isEqualTo(200);
            // No click needed: the server closes the page's stream, and the page finds its session gone.
            browser.waitUntil(WAIT, d -> d.getCurrentUrl().contains("/login.html?"));
            browser.waitUntil(WAIT, d -> d.findElement(By.id("login-notice")).isDisplayed());
            // whichever comes first, the stream's final event (reason disabled) or a 401 ACCOUNT_DISABLED, says why
            assertThat(browser.text(By.id("login-notice"))).contains("account has been disabled");
            browser.screenshot("login-session-ended");
        }
        try (Browser browser = new Browser(server.baseUrl())) {
            // Signing out in another tab of the same browser ends this page's session too.
            browser.signIn("ruth", ApiClient.passwordOf("ruth"), "/availability.html");
            browser.js("fetch('/api/auth/logout', {method: 'POST', credentials: 'same-origin'});");
            browser.waitUntil(WAIT, d -> d.getCurrentUrl().contains("/login.html?expired=1"));
            assertThat(browser.text(By.id("login-notice"))).contains("session has ended");
        } finally {
            server.operator().patch("/api/staff/" + quinnId, Map.of("active", true), null);
        }
    }

    @Test
    void overlap_error_names_the_clashing_slot_and_the_form_keeps_its_values() {
        ApiClient rita = server.newStaff("rita", "therapist");
        createSlot(rita, DAY, "13:00", "17:00", true);
        try (Browser browser = new Browser(server.baseUrl())) {
            browser.signIn("rita", ApiClient.passwordOf("rita"), "/availability.html");
            browser.open("/availability.html?date=" + DAY);
            browser.waitFor(By.cssSelector("#slots-body tr[data-slot-id]"));
            assertThat(browser.text(By.cssSelector("#slots-body tr"))).contains("1:00 PM").contains("5:00 PM").contains("Available");

            browser.select(By.id("add-start"), "15:00");
            browser.select(By.id("add-end"), "18:00");
            browser.driver.findElement(By.id("add-submit")).click();

            browser.waitUntil(WAIT, d -> d.findElement(By.id("form-error")).isDisplayed()
                    && d.findElement(By.id("form-error")).getText().contains("clashes with"));
            String error = browser.text(By.id("form-error"));
            assertThat(error).contains("1:00 PM – 5:00 PM");
            assertThat(browser.js("return document.getElementById('add-start').value")).isEqualTo("15:00");
            assertThat(browser.js("return document.getElementById('add-end').value")).isEqualTo("18:00");
            assertThat(browser.js("return document.getElementById('add-date').value")).isEqualTo(DAY);
            assertThat(browser.js("return document.getElementById('add-available').checked")).isEqualTo(true);
            assertThat(browser.driver.findElements(By.cssSelector("#slots-body tr[data-slot-id]"))).hasSize(1);
            browser.screenshot("availability-overlap-error");
        }
    }

    @Test
    void therapist_adds_toggles_and_deletes_an_overnight_slot_with_confirmations() {
        server.newStaff("sara", "therapist");
        try (Browser browser = new Browser(server.baseUrl())) {
            browser.signIn("sara", ApiClient.passwordOf("sara"), "/availability.html");
            browser.open("/availability.html?date=" + DAY);
            browser.waitUntil(WAIT, d -> d.findElement(By.id("empty-state")).isDisplayed());
            assertThat(browser.text(By.id("empty-state"))).isEqualTo("No availability set for this date.");

            browser.driver.findElement(By.cssSelector(".preset[data-end='01:00']")).click();
            browser.waitUntil(WAIT, d -> d.findElement(By.id("ask-dialog")).isDisplayed());
            assertThat(browser.text(By.id("ask-dialog"))).contains("overnight").contains("1:00 AM");
            browser.driver.findElement(By.id("ask-yes")).click();
            // the answer reaches the form when the dialog's promise settles, a moment after the click
            browser.waitUntil(WAIT, d -> "01:00".equals(browser.js("return document.getElementById('add-end').value")));
            browser.driver.findElement(By.id("add-submit")).click(); // confirmed already: no second question

            WebElement row = browser.waitFor(By.cssSelector("#slots-body tr[data-slot-id]"));
            assertThat(row.getText()).contains("1:00 PM").contains("1:00 AM").contains("Available");
            browser.screenshot("availability-therapist");

            row.findElement(By.cssSelector("button.toggle")).click();
            browser.waitUntil(WAIT, d -> String.valueOf(browser.textOf("#slots-body tr")).contains("Unavailable"));

            browser.act(By.cssSelector("#slots-body button.delete"), WebElement::click);
            browser.waitUntil(WAIT, d -> d.findElement(By.id("ask-dialog")).isDisplayed());
            assertThat(browser.text(By.id("ask-dialog"))).contains("Delete this slot?").contains("1:00 PM – 1:00 AM");
            browser.driver.findElement(By.id("ask-no")).click(); // "no": nothing happens
            assertThat(browser.driver.findElements(By.cssSelector("#slots-body tr[data-slot-id]"))).hasSize(1);
            browser.act(By.cssSelector("#slots-body button.delete"), WebElement::click);
            browser.waitUntil(WAIT, d -> d.findElement(By.id("ask-dialog")).isDisplayed());
            browser.driver.findElement(By.id("ask-yes")).click();
            browser.waitUntil(WAIT, d -> d.findElement(By.id("empty-state")).isDisplayed());
        }
    }

    @Test
    void operator_picker_marks_disabled_staff_hides_their_form_and_can_enable_them() {
        ApiClient tess = server.newStaff("tess", "therapist");
        long tessId = tess.me();
        server.operator().patch("/api/staff/" + tessId, Map.of("active", false), null);
        try (Browser browser = new Browser(server.baseUrl())) {
            browser.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
            browser.open("/availability.html?date=" + DAY + "&staffId=" + tessId);
            browser.waitUntil(WAIT, d -> d.findElement(By.id("staff-warning")).isDisplayed());
            String option = (String) browser.js("const s = document.getElementById('staff-select');"
                    + "return s.options[s.selectedIndex].text;");
            assertThat(option).contains("Test tess").contains("disabled");
            assertThat(browser.driver.findElement(By.id("add-panel")).isDisplayed()).isFalse();
            assertThat(browser.text(By.id("staff-toggle"))).isEqualTo("Enable");
            browser.screenshot("availability-operator-disabled-staff");

            browser.driver.findElement(By.id("staff-toggle")).click();
            browser.waitUntil(WAIT, d -> d.findElement(By.id("add-panel")).isDisplayed());
            assertThat(browser.text(By.id("staff-toggle"))).isEqualTo("Disable");
            assertThat(server.operator().get("/api/staff/" + tessId).json().get("active").asBoolean()).isTrue();

            // The operator adds for the picked person.
            browser.select(By.id("add-start"), "09:00");
            browser.select(By.id("add-end"), "12:00");
            browser.driver.findElement(By.id("add-submit")).click();
            browser.waitFor(By.cssSelector("#slots-body tr[data-slot-id]"));
            assertThat(server.operator().get("/api/availability?date=" + DAY + "&staffId=" + tessId).json().get("items")).hasSize(1);
            browser.screenshot("availability-operator");
        }
    }

    @Test
    void board_shows_overnight_blocks_filters_and_who_is_free_at_desktop_and_phone_width() {
        ApiClient uma = server.newStaff("uma", "therapist");
        ApiClient vic = server.newStaff("vic", "driver");
        createSlot(uma, PREVIOUS_DAY, "20:00", "02:00", true); // runs into DAY's early hours
        createSlot(uma, DAY, "13:00", "18:00", true);
        createSlot(vic, DAY, "17:00", "01:00", true);            // runs past midnight
        createSlot(vic, DAY, "10:00", "12:00", false);
        long umaId = uma.me();
        long vicId = vic.me();
        try (Browser browser = new Browser(server.baseUrl())) {
            browser.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
            browser.open("/board.html?date=" + DAY);
            String umaRow = ".board-row[data-staff-id='" + umaId + "']";
            String vicRow = ".board-row[data-staff-id='" + vicId + "']";
            browser.waitUntil(WAIT, d -> d.findElements(By.cssSelector(umaRow + " .block")).size() == 2);
            assertThat(browser.driver.findElements(By.cssSelector(umaRow + " .block.carry"))).hasSize(1);
            assertThat(browser.driver.findElements(By.cssSelector(vicRow + " .block.available"))).hasSize(1);
            assertThat(browser.driver.findElements(By.cssSelector(vicRow + " .block.unavailable"))).hasSize(1);
            // The overnight block is drawn past the midnight line (at 24/30 of the axis).
            Number right = (Number) browser.js("const b = document.querySelector(arguments[0] + ' .block.available');"
                    + "const t = b.parentElement.getBoundingClientRect(), r = b.getBoundingClientRect();"
                    + "return (r.right - t.left) / t.width;", vicRow);
            assertThat(right.doubleValue()).isGreaterThan(0.8);

            browser.select(By.id("free-start"), "13:30");
            browser.select(By.id("free-end"), "16:00");
            browser.driver.findElement(By.id("free-find")).click();
            browser.waitUntil(WAIT, d -> !d.findElements(By.cssSelector(umaRow + ".free")).isEmpty());
            assertThat(browser.driver.findElements(By.cssSelector(vicRow + ".free"))).isEmpty();
            assertThat(browser.text(By.id("free-result"))).contains("Test uma");
            browser.screenshot("board-desktop");

            browser.select(By.id("role-filter"), "driver");
            assertThat(browser.driver.findElement(By.cssSelector(umaRow)).isDisplayed()).isFalse();
            assertThat(browser.driver.findElement(By.cssSelector(vicRow)).isDisplayed()).isTrue();
            browser.select(By.id("role-filter"), "");
            browser.type(By.id("name-filter"), "uma");
            assertThat(browser.driver.findElement(By.cssSelector(vicRow)).isDisplayed()).isFalse();
            assertThat(browser.driver.findElement(By.cssSelector(umaRow)).isDisplayed()).isTrue();
        }
        try (Browser phone = new Browser(server.baseUrl(), 390, 844)) {
            phone.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
            phone.open("/board.html?date=" + DAY);
            phone.waitFor(By.cssSelector(".board-row[data-staff-id='" + umaId + "'] .block"));
            // Usable at phone width: the page itself does not scroll sideways; the board does, inside its box.
            Boolean pageFits = (Boolean) phone.js("return document.documentElement.scrollWidth <= window.innerWidth + 1;");
            assertThat(pageFits).isTrue();
            List<WebElement> controls = phone.driver.findElements(By.cssSelector("#board-date, #role-filter, #name-filter, #free-find"));
            assertThat(controls).allMatch(WebElement::isDisplayed);
            phone.screenshot("board-phone");
            phone.open("/availability.html?date=" + DAY + "&staffId=" + umaId);
            phone.waitFor(By.cssSelector("#slots-body tr[data-slot-id]"));
            phone.screenshot("availability-phone");
        }
    }
}
