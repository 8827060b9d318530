package com.royalcare.scheduler.browser;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static com.royalcare.scheduler.browser.BrowserFixtures.DAY;
import static com.royalcare.scheduler.browser.BrowserFixtures.createSlot;
import static org.assertj.core.api.Assertions.assertThat;

/** The operator's workspace: the board at scale, its detail panel, the activity feed, errors and edges, axe on every page. */
class WorkspaceBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestServer server;
    private static ApiClient anna;
    private static long annaId;

    @BeforeAll
    static void startServer() {
        Browser.requireChromium();
        server = TestServer.start(Map.of(), com.royalcare.scheduler.support.TestClocks.startingAt(java.time.LocalDate.parse(BrowserFixtures.PREVIOUS_DAY).minusDays(10)));
        anna = server.newStaff("anna", "therapist");
        annaId = anna.me();
        server.operator().patch("/api/staff/" + annaId, Map.of("name", "Anna Reyes", "phone", "+63 917 555 0101",
                "specialization", "Shiatsu", "pressure", "moderate"), null);
        createSlot(anna, DAY, "13:00", "17:00", true);
        createSlot(anna, DAY, "18:00", "18:30", true); // short: no label, times in the details
        for (int i = 1; i <= 60; i++) {
            ApiClient p = server.newStaff(String.format("staff%02d", i), i % 3 == 0 ? "driver" : "therapist");
            if (i % 4 == 0) createSlot(p, DAY, "09:00", "12:00", true);
        }
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    private static void boardAt(Browser b, String date) {
        b.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
        b.open("/board.html?date=" + date);
        b.waitUntil(WAIT, d -> date.equals(b.js("return document.getElementById('board').dataset.date"))
                && "live".equals(b.syncStatus()));
    }

    private static WebElement active(Browser b) {
        return b.driver.switchTo().activeElement();
    }

    private static String activeName(Browser b) {
        return (String) b.js("const e = document.activeElement; return e.getAttribute('aria-label') || e.textContent.trim();");
    }

    /** Presses Tab until the focused control's accessible name starts with {@code name}. */
    private static void tabTo(Browser b, String name) {
        for (int i = 0; i < 400; i++) {
            String now = activeName(b);
            if (now != null && now.startsWith(name)) return;
            new Actions(b.driver).sendKeys(Keys.TAB).perform();
        }
        throw new AssertionError("Tab never reached " + name);
    }

    @Test
    void board_with_60_staff_keeps_the_axis_and_names_in_view_and_opens_at_the_first_availability() {
        try (Browser b = new Browser(server.baseUrl())) {
            boardAt(b, DAY);
            b.waitUntil(WAIT, d -> d.findElements(By.cssSelector("#rows .board-row")).size() >= 61);
            // opened at the first availability (9:00 AM), not at midnight
            Number left = (Number) b.js("return document.querySelector('.board-scroll').scrollLeft;");
            assertThat(left.intValue()).isPositive();
            assertThat(b.text(By.id("axis"))).contains("9 AM").contains("midnight").doesNotContain("09:00");
            b.screenshot("board-1280x800");
            b.js("const s = document.querySelector('.board-scroll'); s.scrollTop = 1200; s.scrollLeft = s.scrollLeft + 300;");
            Map<?, ?> pos = (Map<?, ?>) b.js("const s = document.querySelector('.board-scroll').getBoundingClientRect();"
                    + "const axis = document.querySelector('.axis-row').getBoundingClientRect();"
                    + "const name = document.querySelector('#rows .board-row:last-child .name-cell').getBoundingClientRect();"
                    + "return {boxTop: s.top, axisTop: axis.top, boxLeft: s.left, nameLeft: name.left};");
            assertThat(((Number) pos.get("axisTop")).doubleValue()).isCloseTo(((Number) pos.get("boxTop")).doubleValue(), org.assertj.core.data.Offset.offset(2.0));
            assertThat(((Number) pos.get("nameLeft")).doubleValue()).isCloseTo(((Number) pos.get("boxLeft")).doubleValue(), org.assertj.core.data.Offset.offset(2.0));
            b.js("const s = document.querySelector('.board-scroll'); s.scrollTop = 0;");
        }
        try (Browser phone = new Browser(server.baseUrl(), 390, 844)) {
            boardAt(phone, DAY);
            phone.waitUntil(WAIT, d -> d.findElements(By.cssSelector("#rows .board-row")).size() >= 61);
            Number left = (Number) phone.js("return document.querySelector('.board-scroll').scrollLeft;");
            assertThat(left.intValue()).isPositive();
            Boolean pageFits = (Boolean) phone.js("return document.documentElement.scrollWidth <= window.innerWidth + 1;");
            assertThat(pageFits).isTrue();
            phone.screenshot("board-390x844");
            Axe.assertNoSeriousViolations(phone, "board at phone width");
        }
    }

    @Test
    void every_block_is_a_named_button_whose_details_open_by_keyboard_and_return_focus() {
        try (Browser b = new Browser(server.baseUrl())) {
            boardAt(b, DAY);
            String block = "button.block[aria-label='Anna Reyes, available 1:00 PM – 5:00 PM']";
            b.waitFor(By.cssSelector(block));
            assertThat(b.textOf(block)).isEqualTo("1:00 PM – 5:00 PM");
            b.act(By.cssSelector("button.block[aria-label='Anna Reyes, available 6:00 PM – 6:30 PM']"), shortBlock -> shortBlock.sendKeys(Keys.ENTER));
            WebElement panel = b.waitFor(By.id("detail-panel"));
            b.waitUntil(WAIT, d -> panel.isDisplayed());
            assertThat(panel.getText()).contains("6:00 PM – 6:30 PM", "+63 917 555 0101", "Shiatsu", "moderate");
            Axe.assertNoSeriousViolations(b, "board with the detail panel open");
            new Actions(b.driver).sendKeys(Keys.ESCAPE).perform();
            b.waitUntil(WAIT, d -> !panel.isDisplayed());
            assertThat(activeName(b)).isEqualTo("Anna Reyes, available 6:00 PM – 6:30 PM");
            // contact and matching fields one click from the row
            b.act(By.cssSelector(".board-row[data-staff-id='" + annaId + "'] .name-button"), WebElement::click);
            b.waitUntil(WAIT, d -> panel.isDisplayed() && panel.getText().contains("+63 917 555 0101"));
        }
    }

    @Test
    void the_feed_words_changes_counts_unseen_ones_and_shows_one_on_the_board() {
        try (Browser b = new Browser(server.baseUrl())) {
            boardAt(b, DAY);
            WebElement toggle = b.waitFor(By.cssSelector("button.activity-toggle"));
            b.recordAnnouncements("board-announcer");
            long slot = createSlot(anna, "2030-03-14", "13:00", "17:00", true);
            b.waitUntil(WAIT, d -> "Recent changes, 1 unseen".equals(toggle.getAttribute("aria-label")));
            // the live region is emptied and refilled 50 ms later, so screen readers announce a repeat too
            b.waitAnnounced("board-announcer", "Anna Reyes added 1:00 PM – 5:00 PM on Thu 14 Mar");
            toggle.click();
            assertThat(toggle.getAttribute("aria-label")).isEqualTo("Recent changes");
            String first = ".activity-list li:first-child button";
            b.waitFor(By.cssSelector(first));
            assertThat(b.textOf(first)).startsWith("Anna Reyes added 1:00 PM – 5:00 PM on Thu 14 Mar · just now");
            assertThat(b.driver.findElements(By.cssSelector(".activity-list li")).size()).isGreaterThan(30 - 1); // filled from the log
            Axe.assertNoSeriousViolations(b, "board with the feed open");
            b.act(By.cssSelector(first), WebElement::click);
            b.waitUntil(WAIT, d -> "2030-03-14".equals(b.js("return document.getElementById('board').dataset.date")));
            b.waitUntil(WAIT, d -> !d.findElements(By.cssSelector(".block.highlight[data-slot-id='" + slot + "']")).isEmpty());
            assertThat(active(b).getAttribute("data-slot-id")).isEqualTo(String.valueOf(slot));

            long bea = server.operator().createStaff("beasantos", "driver");
            server.operator().patch("/api/staff/" + bea, Map.of("name", "Bea Santos"), null);
            server.operator().patch("/api/staff/" + bea, Map.of("active", false), null);
            b.waitUntil(WAIT, d -> b.text(By.cssSelector(".activity-list li:first-child")).startsWith("Operator disabled Bea Santos"));
        }
    }

    @Test
    void unknown_pages_get_an_html_not_found_api_paths_json_and_there_is_a_favicon() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/no-such-page")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/no-such-thing"))
                .header("Authorization", "Bearer " + server.operator().token()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(api.body()).contains("\"NOT_FOUND\"");
        for (String icon : new String[] {"/favicon.ico", "/favicon.svg"}) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + icon)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        }
        try (Browser b = new Browser(server.baseUrl())) {
            b.open("/no-such-page");
            assertThat(b.text(By.tagName("h1"))).isEqualTo("Page not found");
            Axe.assertNoSeriousViolations(b, "not-found page");
        }
    }

    @Test
    void a_disabled_user_is_told_their_account_was_disabled() {
        ApiClient cara = server.newStaff("cara", "therapist");
        try (Browser b = new Browser(server.baseUrl())) {
            b.signIn("cara", ApiClient.passwordOf("cara"), "/availability.html");
            b.waitUntil(WAIT, d -> "live".equals(b.syncStatus()));
            server.operator().patch("/api/staff/" + cara.me(), Map.of("active", false), null);
            b.waitUntil(WAIT, d -> d.getCurrentUrl().contains("/login.html"));
            b.waitUntil(WAIT, d -> d.findElement(By.id("login-notice")).getText().contains("account has been disabled"));
            Axe.assertNoSeriousViolations(b, "signed out with a notice");
        }
    }

    @Test
    void pages_and_their_forms_have_no_serious_axe_violations() {
        server.newStaff("dina", "therapist");
        try (Browser b = new Browser(server.baseUrl()); Browser phone = new Browser(server.baseUrl(), 390, 844)) {
            b.open("/login.html");
            b.waitFor(By.id("username"));
            Axe.assertNoSeriousViolations(b, "signed out");
            b.signIn("dina", ApiClient.passwordOf("dina"), "/availability.html");
            b.waitFor(By.cssSelector("#add-form"));
            Axe.assertNoSeriousViolations(b, "therapist");
            b.click(By.id("sign-out"));
            b.waitUntil(WAIT, d -> d.getCurrentUrl().contains("/login.html"));

            boardAt(b, DAY);
            Axe.assertNoSeriousViolations(b, "operator board");
            b.open("/availability.html?date=" + DAY + "&staffId=" + annaId);
            b.waitFor(By.cssSelector("#slots-body tr[data-slot-id]"));
            Axe.assertNoSeriousViolations(b, "operator availability");
            b.open("/staff.html");
            b.waitFor(By.cssSelector("#staff-body tr"));
            Axe.assertNoSeriousViolations(b, "staff page");
            b.driver.findElement(By.id("add-staff")).click();
            Axe.assertNoSeriousViolations(b, "staff page, create form open");
            new Actions(b.driver).sendKeys(Keys.ESCAPE).perform();
            b.driver.findElement(By.cssSelector("button[aria-label='Disable Anna Reyes']")).click();
            Axe.assertNoSeriousViolations(b, "staff page, disable confirmation open");
            new Actions(b.driver).sendKeys(Keys.ESCAPE).perform();

            phone.open("/login.html");
            phone.waitFor(By.id("username"));
            Axe.assertNoSeriousViolations(phone, "signed out, phone");
            phone.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
            phone.open("/staff.html");
            phone.waitFor(By.cssSelector("#staff-body tr"));
            Axe.assertNoSeriousViolations(phone, "staff page, phone");
            phone.screenshot("staff-390x844");
        }
    }

    /** Presses keys where the focus is, as a keyboard user would (no clicks, no element lookups). */
    private static void press(Browser b, CharSequence... keys) {
        new Actions(b.driver).sendKeys(keys).perform();
    }

    private static void shiftTab(Browser b) {
        new Actions(b.driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
    }

    private static boolean focusIs(Browser b, String css) {
        return Boolean.TRUE.equals(b.js("return document.activeElement.matches(arguments[0])", css));
    }

    /** Presses Tab (or Shift+Tab) until the focused element matches {@code css}; fails after {@code max} presses. */
    private static void tabToCss(Browser b, String css, int max, boolean forward) {
        for (int i = 0; i < max; i++) {
            if (focusIs(b, css)) return;
            if (forward) press(b, Keys.TAB);
            else shiftTab(b);
        }
        throw new AssertionError("Tab never reached " + css + "; focus is on " + activeName(b));
    }

    @Test
    void keyboard_alone_adds_toggles_and_deletes_a_slot_with_its_confirmation_and_focus_follows() {
        ApiClient kim = server.newStaff("kim", "therapist");
        createSlot(kim, DAY, "13:00", "17:00", true); // a neighbour: deleting the new slot leaves focus on it
        String day = "/api/availability?from=" + DAY + "&to=" + DAY;
        String rows = "#slots-body tr[data-slot-id]";
        try (Browser b = new Browser(server.baseUrl())) {
            b.open("/login.html");
            b.waitFor(By.id("username"));
            press(b, "kim", Keys.TAB, ApiClient.passwordOf("kim"), Keys.ENTER);
            b.waitUntil(WAIT, d -> d.getCurrentUrl().contains("/availability.html"));
            b.open("/availability.html?date=" + DAY); // a bookmark of the day
            b.waitUntil(WAIT, d -> d.findElements(By.cssSelector(rows)).size() == 1 && "live".equals(b.syncStatus()));

            // add 9:00 – 11:00 AM: Tab to the times, type to choose, Enter on "Add slot"
            tabToCss(b, "#add-start", 80, true);
            press(b, "9:00 A");
            press(b, Keys.TAB);
            assertThat(focusIs(b, "#add-end")).isTrue();
            press(b, "11:00 A");
            assertThat(b.js("return [document.getElementById('add-start').value, document.getElementById('add-end').value]"))
                    .isEqualTo(java.util.List.of("09:00", "11:00"));
            tabToCss(b, "#add-submit", 10, true);
            press(b, Keys.ENTER);
            b.waitUntil(WAIT, d -> d.findElements(By.cssSelector(rows)).size() == 2);
            b.waitUntil(WAIT, d -> "Added 9:00 AM – 11:00 AM.".equals(b.textOf("#form-success")));
            assertThat(activeName(b)).isEqualTo("Add slot"); // still in the form, ready for the next one
            assertThat(kim.get(day).json().get("items")).hasSize(2);

            // delete it: Shift+Tab back to its Delete; Escape on the confirmation changes nothing and returns focus
            String deleteNew = "#slots-body button.delete[aria-label='Delete: 9:00 AM – 11:00 AM']";
            tabToCss(b, deleteNew, 20, false);
            press(b, Keys.ENTER);
            b.waitUntil(WAIT, d -> d.findElement(By.id("ask-dialog")).isDisplayed());
            assertThat(focusIs(b, "#ask-no")).as("the safe choice has focus").isTrue();
            assertThat(b.text(By.id("ask-dialog"))).contains("Delete this slot?", "9:00 AM – 11:00 AM");
            Axe.assertNoSeriousViolations(b, "availability page, delete confirmation");
            press(b, Keys.ESCAPE);
            b.waitUntil(WAIT, d -> !d.findElement(By.id("ask-dialog")).isDisplayed());
            assertThat(focusIs(b, deleteNew)).as("focus back on the Delete that asked").isTrue();
            assertThat(b.driver.findElements(By.cssSelector(rows))).hasSize(2);
            press(b, Keys.ENTER);
            b.waitUntil(WAIT, d -> d.findElement(By.id("ask-dialog")).isDisplayed());
            shiftTab(b);
            assertThat(activeName(b)).isEqualTo("Delete slot");
            press(b, Keys.SPACE);
            b.waitUntil(WAIT, d -> d.findElements(By.cssSelector(rows)).size() == 1);
            b.waitUntil(WAIT, d -> focusIs(b, "#slots-body button.delete[aria-label='Delete: 1:00 PM – 5:00 PM']"));
            assertThat(kim.get(day).json().get("items")).hasSize(1);

            // toggle the one left with Space: the row is redrawn, focus stays on its button
            shiftTab(b);
            assertThat(activeName(b)).isEqualTo("Mark unavailable: 1:00 PM – 5:00 PM");
            press(b, Keys.SPACE);
            b.waitUntil(WAIT, d -> "Mark available: 1:00 PM – 5:00 PM".equals(activeName(b)));
            assertThat(b.textOf(rows)).contains("Unavailable");

            // delete the last one: focus goes to the day's date, not the page body
            press(b, Keys.TAB, Keys.ENTER);
            b.waitUntil(WAIT, d -> d.findElement(By.id("ask-dialog")).isDisplayed());
            shiftTab(b);
            press(b, Keys.ENTER);
            b.waitUntil(WAIT, d -> d.findElement(By.id("empty-state")).isDisplayed());
            b.waitUntil(WAIT, d -> focusIs(b, "#date"));
            assertThat(kim.get(day).json().get("items")).isEmpty();
        }
    }

    @Test
    void keyboard_alone_signs_in_finds_who_is_free_and_disables_someone() {
        ApiClient eve = server.newStaff("eve", "driver");
        try (Browser b = new Browser(server.baseUrl())) {
            b.open("/login.html");
            b.waitFor(By.id("username"));
            new Actions(b.driver).sendKeys("operator").sendKeys(Keys.TAB).sendKeys(TestServer.OPERATOR_PASSWORD).sendKeys(Keys.ENTER).perform();
            b.waitUntil(WAIT, d -> d.getCurrentUrl().contains("/board.html"));
            b.open("/board.html?date=" + DAY);
            b.waitUntil(WAIT, d -> "live".equals(b.syncStatus()));
            b.waitFor(By.cssSelector("button.block"));
            tabTo(b, "Find");
            new Actions(b.driver).sendKeys(Keys.ENTER).perform(); // 1:00 PM – 5:00 PM by default
            b.waitUntil(WAIT, d -> b.text(By.id("free-result")).contains("Anna Reyes"));

            b.open("/staff.html");
            b.waitFor(By.cssSelector("#staff-body tr"));
            tabTo(b, "Disable Test eve");
            new Actions(b.driver).sendKeys(Keys.ENTER).perform();
            b.waitUntil(WAIT, d -> d.findElement(By.id("confirm-dialog")).isDisplayed());
            assertThat(activeName(b)).isEqualTo("Cancel"); // the safe choice has focus
            new Actions(b.driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
            assertThat(activeName(b)).isEqualTo("Disable Test eve");
            new Actions(b.driver).sendKeys(Keys.ENTER).perform();
            b.waitUntil(WAIT, d -> !d.findElement(By.id("confirm-dialog")).isDisplayed());
            b.waitUntil(WAIT, d -> "Enable Test eve".equals(activeName(b)));
            assertThat(eve.get("/api/me").status()).isEqualTo(401);
        }
    }
}
