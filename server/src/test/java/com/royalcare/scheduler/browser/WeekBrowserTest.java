package com.royalcare.scheduler.browser;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;

import static com.royalcare.scheduler.browser.BrowserFixtures.createSlot;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 11 in a real Chromium: the week view, in-place edit with If-Match, and applying a usual week. */
class WeekBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final LocalDate TODAY = LocalDate.now(ZoneId.of("Asia/Manila"));
    /** Friday of next week: in the future, inside the year. */
    private static final LocalDate FRIDAY = TODAY.plusWeeks(1).with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY));
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

    private static String day(LocalDate d) {
        return ".week-day[data-date='" + d + "']";
    }

    @Test
    void week_view_shows_seven_days_the_overnight_tail_on_the_next_day_and_moves_by_week() {
        ApiClient wes = server.newStaff("wes", "therapist");
        createSlot(wes, FRIDAY.toString(), "20:00", "01:00", true);
        try (Browser browser = new Browser(server.baseUrl())) {
            browser.signIn("wes", ApiClient.passwordOf("wes"), "/availability.html");
            browser.open("/availability.html?date=" + FRIDAY);
            browser.waitUntil(WAIT, d -> d.findElements(By.cssSelector(".week-day")).size() == 7);
            browser.waitUntil(WAIT, d -> String.valueOf(browser.textOf(day(FRIDAY) + " .week-slot"))
                    .contains("8:00 PM – 1:00 AM"));
            assertThat(browser.textOf(day(FRIDAY.plusDays(1)) + " .week-carry")).isEqualTo("continues from Friday until 1:00 AM");
            browser.screenshot("week-view");

            browser.driver.findElement(By.id("week-next")).click();
            browser.waitUntil(WAIT, d -> d.findElements(By.cssSelector(day(FRIDAY.plusDays(7)))).size() == 1);
            assertThat(browser.js("return document.getElementById('date').value")).isEqualTo(FRIDAY.plusDays(7).with(DayOfWeek.MONDAY).toString());
            browser.driver.findElement(By.id("week-today")).click();
            browser.waitUntil(WAIT, d -> TODAY.toString().equals(browser.js("return document.getElementById('date').value")));
            browser.waitFor(By.cssSelector(day(TODAY) + ".selected"));
            // picking a day in the week drives the day list below
            browser.driver.findElement(By.id("week-prev")).click();
            LocalDate monday = TODAY.minusWeeks(1).with(DayOfWeek.MONDAY);
            browser.waitFor(By.cssSelector(day(monday)));
            browser.driver.findElement(By.cssSelector(day(monday.plusDays(2)) + " .week-day-head")).click();
            browser.waitUntil(WAIT, d -> monday.plusDays(2).toString().equals(browser.js("return document.getElementById('date').value")));
        }
    }

    @Test
    void a_slot_is_edited_in_place_and_a_newer_version_is_shown_and_said_on_412() {
        ApiClient xia = server.newStaff("xia", "therapist");
        long id = createSlot(xia, FRIDAY.toString(), "13:00", "17:00", true);
        try (Browser browser = new Browser(server.baseUrl())) {
            browser.signIn("xia", ApiClient.passwordOf("xia"), "/availability.html");
            browser.open("/availability.html?date=" + FRIDAY);
            browser.waitFor(By.cssSelector(day(FRIDAY) + " .week-slot-edit")).click();
            WebElement form = browser.waitFor(By.cssSelector(day(FRIDAY) + " form.week-edit"));
            new Select(form.findElement(By.name("end"))).selectByValue("18:00");
            form.findElement(By.name("note")).sendKeys("Makati only");
            form.findElement(By.cssSelector("button[type=submit]")).click();
            browser.waitUntil(WAIT, d -> String.valueOf(browser.textOf(day(FRIDAY) + " .week-slot-edit")).contains("6:00 PM"));
            ApiClient.Response stored = xia.get("/api/availability/" + id);
            assertThat(stored.json().get("end").asText()).isEqualTo("18:00");
            assertThat(stored.json().get("note").asText()).isEqualTo("Makati only");
            assertThat(stored.json().get("version").asLong()).isEqualTo(2);

            // open the editor, then someone else changes the slot; saving says so and shows the newer times
            browser.waitFor(By.cssSelector(day(FRIDAY) + " .week-slot-edit")).click();
            WebElement again = browser.waitFor(By.cssSelector(day(FRIDAY) + " form.week-edit"));
            assertThat(xia.patch("/api/availability/" + id, Map.of("start", "14:00"), "\"2\"").status()).isEqualTo(200);
            new Select(again.findElement(By.name("end"))).selectByValue("19:00");
            again.findElement(By.cssSelector("button[type=submit]")).click();
            browser.waitUntil(WAIT, d -> String.valueOf(browser.textOf(day(FRIDAY) + " .week-edit-msg")).contains("Someone else changed"));
            assertThat(browser.textOf(day(FRIDAY) + " .week-edit-msg")).contains("2:00 PM – 6:00 PM");
            assertThat(browser.js("return document.querySelector(arguments[0]).value", day(FRIDAY) + " form.week-edit select[name=start]"))
                    .isEqualTo("14:00");
            assertThat(xia.get("/api/availability/" + id).json().get("end").asText()).isEqualTo("18:00");
            browser.screenshot("week-edit-conflict");
        }
    }

    @Test
    void a_usual_week_with_an_overnight_evening_is_set_and_applied_to_four_weeks_with_a_skip_report() {
        ApiClient yara = server.newStaff("yara", "therapist");
        long me = yara.me();
        LocalDate nextMonday = TODAY.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
        long own = createSlot(yara, nextMonday.toString(), "12:00", "14:00", false); // an override the week must not touch
        String firstApplied = nextMonday.plusWeeks(1).toString(); // next Monday itself is skipped: the block overlaps
        try (Browser browser = new Browser(server.baseUrl()); Browser operator = new Browser(server.baseUrl())) {
            operator.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
            operator.open("/board.html?date=" + firstApplied);
            operator.waitUntil(WAIT, d -> "live".equals(operator.syncStatus()));
            String yarasSlots = ".board-row[data-staff-id='" + me + "'] .block[data-available='true']";
            assertThat(operator.driver.findElements(By.cssSelector(yarasSlots))).isEmpty();
            browser.signIn("yara", ApiClient.passwordOf("yara"), "/availability.html");
            browser.waitFor(By.cssSelector(".weekly-day[data-day='mon'] .weekly-add")).click();
            WebElement w = browser.waitFor(By.cssSelector(".weekly-day[data-day='mon'] .weekly-window"));
            new Select(w.findElement(By.cssSelector(".w-start"))).selectByValue("13:00");
            new Select(w.findElement(By.cssSelector(".w-end"))).selectByValue("01:00");
            assertThat(w.getText()).contains("the next day");
            browser.driver.findElement(By.id("weekly-apply")).click();
            browser.waitUntil(WAIT, d -> d.findElement(By.id("weekly-report")).isDisplayed());
            String report = browser.text(By.id("weekly-report"));
            assertThat(report).contains("Added").contains("Skipped 1").contains("overlaps the unavailable block");
            browser.screenshot("weekly-apply-report");
            Axe.assertNoSeriousViolations(browser, "weekly editor with an apply report");
            // the operator's board, open on a Monday the apply filled, shows the new slot without a reload
            operator.waitUntil(WAIT, d -> !d.findElements(By.cssSelector(yarasSlots)).isEmpty());
            assertThat(operator.driver.findElement(By.cssSelector(yarasSlots)).getAttribute("aria-label")).contains("1:00");
        }
        var week = yara.get("/api/staff/" + me + "/weekly-schedule").json();
        assertThat(week.get("days").get("mon").get(0).get("end").asText()).isEqualTo("01:00");
        var items = yara.get("/api/availability?from=" + TODAY + "&to=" + TODAY.plusDays(27)).json().get("items");
        long applied = 0;
        for (var s : items) if (s.get("start").asText().equals("13:00") && s.get("end").asText().equals("01:00")) applied++;
        assertThat(applied).isBetween(3L, 4L); // the Mondays among the next 28 days, minus the one with the block
        assertThat(yara.get("/api/availability/" + own).json().get("version").asLong()).isEqualTo(1);
    }

    /** Counts what a person does: every click, and a choice in a drop-down as two (open it, pick). */
    private static final class Clicks {
        private final Browser b;
        int count;

        Clicks(Browser b) {
            this.b = b;
        }

        void click(By by) {
            b.waitFor(by);
            b.act(by, WebElement::click);
            count++;
        }

        void choose(By select, String value) {
            new Select(b.waitFor(select)).selectByValue(value);
            count += 2;
        }
    }

    /**
     * Issue 11's "done when", as a new user would: demo data, Anna signed in on her availability page sets a
     * six-day usual week with one overnight evening, applies it to the next four weeks in under ten clicks, sees
     * it in the week view, and the operator's board (another browser) shows the new slots without a reload.
     */
    @Test
    void walkthrough_demo_anna_sets_a_usual_week_with_an_overnight_evening_and_applies_it_in_under_ten_clicks() {
        LocalDate target = TODAY.plusDays(7).with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY)); // past the demo's week
        try (TestServer demo = TestServer.start(Map.of("DEMO_DATA", "true"));
             Browser browser = new Browser(demo.baseUrl()); Browser operator = new Browser(demo.baseUrl())) {
            long annaId = ApiClient.signIn(demo.baseUrl(), "anna", "anna-demo").me();
            operator.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
            operator.open("/board.html?date=" + target);
            operator.waitUntil(WAIT, d -> "live".equals(operator.syncStatus()));
            String annasSlots = ".board-row[data-staff-id='" + annaId + "'] .block[data-available='true']";
            operator.waitFor(By.cssSelector(".board-row[data-staff-id='" + annaId + "']"));
            assertThat(operator.driver.findElements(By.cssSelector(annasSlots))).isEmpty();

            browser.signIn("anna", "anna-demo", "/availability.html");
            browser.waitFor(By.cssSelector(".weekly-day[data-day='mon'] .weekly-add"));
            assertThat(browser.driver.findElements(By.cssSelector(".weekly-window"))).isEmpty();
            browser.js("document.getElementById('weekly-section').scrollIntoView()");
            Clicks clicks = new Clicks(browser);
            for (String d : new String[] {"mon", "tue", "wed", "thu", "fri", "sat"}) {
                clicks.click(By.cssSelector(".weekly-day[data-day='" + d + "'] .weekly-add")); // 1:00 – 5:00 PM
            }
            clicks.choose(By.cssSelector(".weekly-day[data-day='sat'] .w-end"), "01:00"); // Saturday runs until 1 AM
            assertThat(browser.text(By.cssSelector(".weekly-day[data-day='sat'] .weekly-window"))).contains("until 1:00 AM the next day");
            browser.screenshot("walkthrough-weekly-editor-1280");
            clicks.click(By.id("weekly-apply"));
            browser.waitUntil(WAIT, d -> d.findElement(By.id("weekly-report")).isDisplayed());
            String report = browser.text(By.id("weekly-report"));
            System.out.printf("walkthrough: usual week set and applied to 4 weeks in %d clicks; report: %s%n", clicks.count, report);
            assertThat(clicks.count).isLessThan(10);
            assertThat(report).containsPattern("Added \\d+ slots for the next 4 weeks");
            assertThat(browser.js("return document.activeElement.id")).isEqualTo("weekly-apply"); // not the page body
            browser.js("document.getElementById('weekly-report').scrollIntoView({block: 'center'})");
            browser.screenshot("walkthrough-weekly-report-1280");

            // the operator's board, open on a day the week filled, shows the new slot live
            operator.waitUntil(WAIT, d -> !d.findElements(By.cssSelector(annasSlots)).isEmpty());
            assertThat(operator.attrOf(annasSlots, "aria-label")).startsWith("Anna Reyes, available 1:00 PM – 5:00 PM");
            operator.screenshot("walkthrough-operator-board-1280");

            // the week view: the page went to the first added day; › (not counted above) reaches the target week
            int viewing = 0;
            LocalDate shown = LocalDate.parse((String) browser.js("return document.getElementById('date').value")).with(DayOfWeek.MONDAY);
            assertThat(shown).isBetween(TODAY.with(DayOfWeek.MONDAY), target);
            while (shown.isBefore(target)) {
                browser.driver.findElement(By.id("week-next")).click();
                viewing++;
                shown = shown.plusWeeks(1);
                browser.waitFor(By.cssSelector(day(shown)));
            }
            browser.waitUntil(WAIT, d -> String.valueOf(browser.textOf(day(target.plusDays(5)) + " .week-slot")).contains("1:00 PM – 1:00 AM"));
            for (int i = 0; i < 5; i++) {
                assertThat(browser.textOf(day(target.plusDays(i)) + " .week-slot")).as("weekday " + i).contains("1:00 PM – 5:00 PM");
            }
            assertThat(browser.textOf(day(target.plusDays(6)) + " .week-carry")).isEqualTo("continues from Saturday until 1:00 AM");
            System.out.printf("walkthrough: %d more click(s) on › to see the week of %s%n", viewing, target);
            browser.js("document.getElementById('week-section').scrollIntoView()");
            browser.screenshot("walkthrough-week-view-1280");
            Axe.assertNoSeriousViolations(browser, "availability page after applying a usual week");

            try (Browser phone = new Browser(demo.baseUrl(), 390, 844)) {
                phone.signIn("anna", "anna-demo", "/availability.html");
                phone.open("/availability.html?date=" + target);
                phone.waitUntil(WAIT, d -> String.valueOf(phone.textOf(day(target) + " .week-slot")).contains("1:00 PM – 5:00 PM"));
                phone.waitFor(By.cssSelector(".weekly-day[data-day='sat'] .weekly-window"));
                assertThat((Boolean) phone.js("return document.documentElement.scrollWidth <= window.innerWidth + 1;")).isTrue();
                phone.js("document.getElementById('week-section').scrollIntoView()");
                phone.screenshot("walkthrough-week-view-390");
                phone.js("document.getElementById('weekly-section').scrollIntoView()");
                phone.screenshot("walkthrough-weekly-editor-390");
                Axe.assertNoSeriousViolations(phone, "availability page with a usual week, phone");
            }
        }
    }
}
