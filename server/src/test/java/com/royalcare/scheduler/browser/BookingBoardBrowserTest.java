package com.royalcare.scheduler.browser;

import com.royalcare.scheduler.support.TestClocks;
import com.royalcare.scheduler.support.TestServer;
import com.royalcare.testkit.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.royalcare.scheduler.browser.BrowserFixtures.DAY;
import static com.royalcare.scheduler.browser.BrowserFixtures.createSlot;
import static org.assertj.core.api.Assertions.assertThat;

/** The operator's booking screens on the board: book from a free stretch or "who is free", refusals, force, needs attention, the panel. */
class BookingBoardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TestServer server;
    private static ApiClient op;
    private static ApiClient anna;
    private static ApiClient cara;
    private static ApiClient dina;
    private static long annaId;
    private static long caraId;
    private static long dinaId;
    private static long swedish;
    private static long maria;

    @BeforeAll
    static void startServer() {
        Browser.requireChromium();
        server = TestServer.start(Map.of(), TestClocks.startingAt(LocalDate.parse(BrowserFixtures.PREVIOUS_DAY).minusDays(10)));
        op = server.operator();
        anna = named("anna", "Anna Reyes");
        cara = named("cara", "Cara Diaz");
        dina = named("dina", "Dina Cruz");
        annaId = anna.me();
        caraId = cara.me();
        dinaId = dina.me();
        for (ApiClient p : List.of(anna, cara, dina)) createSlot(p, DAY, "13:00", "17:00", true);
        swedish = created(op.post("/api/services", Map.of("name", "Swedish", "durationMinutes", 60, "price", "800.00")));
        maria = created(op.post("/api/clients", Map.of("name", "Maria Clara", "phone", "+63 917 555 0101", "address", "12 Rizal Ave, Manila")));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    private static ApiClient named(String username, String name) {
        ApiClient c = server.newStaff(username, "therapist");
        op.patch("/api/staff/" + c.me(), Map.of("name", name), null);
        return c;
    }

    private static long created(ApiClient.Response r) {
        if (r.status() != 201) throw new IllegalStateException(r.status() + " " + r.text());
        return r.id();
    }

    private static long bookByApi(long therapist, String start) {
        Map<String, Object> body = new HashMap<>(Map.of("clientId", maria, "serviceIds", List.of(swedish),
                "therapistIds", List.of(therapist), "date", DAY, "start", start));
        return created(op.post("/api/appointments", body));
    }

    private static void boardAt(Browser b) {
        b.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
        b.open("/board.html?date=" + DAY);
        b.waitUntil(WAIT, d -> DAY.equals(b.js("return document.getElementById('board').dataset.date")) && "live".equals(b.syncStatus()));
    }

    private static String row(long staffId) {
        return ".board-row[data-staff-id='" + staffId + "'] ";
    }

    private static String activeId(Browser b) {
        return (String) b.js("return document.activeElement.id || document.activeElement.getAttribute('aria-label');");
    }

    /** In the open form: find Maria Clara and choose her, and tick Swedish. */
    private static void chooseMariaAndSwedish(Browser b) {
        b.type(By.id("book-client-q"), "Maria");
        b.waitFor(By.cssSelector("#book-client-results button[aria-label^='Choose Maria Clara']")).click();
        b.waitUntil(WAIT, d -> b.text(By.id("book-client-name")).startsWith("Maria Clara, +639175550101"));
        b.driver.findElement(By.cssSelector("#book-services input[value='" + swedish + "']")).click();
    }

    /** Presses keys where the focus is, as a keyboard user would (no clicks, no element lookups). */
    private static void press(Browser b, CharSequence... keys) {
        new Actions(b.driver).sendKeys(keys).perform();
    }

    /** Presses Tab until the focused element matches {@code css}; fails after {@code max} presses. */
    private static void tabTo(Browser b, String css, int max) {
        tabTo(b, css, max, true);
    }

    /** The same, going back (Shift+Tab). */
    private static void tabBackTo(Browser b, String css, int max) {
        tabTo(b, css, max, false);
    }

    private static void tabTo(Browser b, String css, int max, boolean forward) {
        for (int i = 0; i < max; i++) {
            if (Boolean.TRUE.equals(b.js("return document.activeElement.matches(arguments[0])", css))) return;
            if (forward) press(b, Keys.TAB);
            else new Actions(b.driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
        }
        throw new AssertionError("Tab never reached " + css + "; focus is on " + activeId(b));
    }

    @Test
    void a_visit_is_booked_and_opened_with_the_keyboard_alone() {
        ApiClient eva = named("eva", "Eva Lim");
        long evaId = eva.me();
        createSlot(eva, DAY, "09:00", "12:00", true);
        try (Browser b = new Browser(server.baseUrl())) {
            boardAt(b);
            b.waitFor(By.cssSelector(row(evaId) + "button.stretch[data-start='09:00']"));
            b.driver.findElement(By.id("name-filter")).click(); // the one pointer step: where the keyboard starts
            press(b, "Eva");
            b.waitUntil(WAIT, d -> d.findElements(By.cssSelector(".board-row:not(.axis-row):not([hidden])")).size() == 1);
            tabTo(b, row(evaId) + "button.stretch[data-start='09:00']", 40);
            press(b, Keys.ENTER);
            b.waitUntil(WAIT, d -> "book-client-q".equals(activeId(b)));
            press(b, "Maria", Keys.ENTER);
            b.waitFor(By.cssSelector("#book-client-results button[aria-label^='Choose Maria Clara']"));
            tabTo(b, "#book-client-results button[aria-label^='Choose Maria Clara']", 10);
            press(b, Keys.ENTER);
            b.waitUntil(WAIT, d -> b.text(By.id("book-client-name")).startsWith("Maria Clara"));
            tabTo(b, "#book-services input[value='" + swedish + "']", 20);
            press(b, Keys.SPACE);
            b.waitUntil(WAIT, d -> b.text(By.id("book-end")).equals("Ends 10:00 AM, 1 h."));
            tabTo(b, "#book-submit", 30);
            press(b, Keys.ENTER);

            b.waitFor(By.cssSelector(row(evaId) + "button.visit.status-pending"));
            b.waitUntil(WAIT, d -> !d.findElement(By.id("book-dialog")).isDisplayed());
            assertThat(activeId(b)).startsWith("Book Eva Lim"); // back where the keyboard user started
            tabBackTo(b, row(evaId) + "button.visit", 10); // the visit sits just before the free stretch after it
            press(b, Keys.ENTER);
            b.waitUntil(WAIT, d -> d.findElement(By.id("appt-dialog")).isDisplayed());
            assertThat(b.text(By.id("appt-dialog"))).contains("Maria Clara", "Eva Lim");
            press(b, Keys.ESCAPE);
            b.waitUntil(WAIT, d -> !d.findElement(By.id("appt-dialog")).isDisplayed());
            assertThat(activeId(b)).startsWith("Appointment 9:00 AM – 10:00 AM");
        }
    }

    @Test
    void operator_books_from_a_free_stretch_it_shows_pending_and_turns_confirmed_live_when_the_therapist_accepts() {
        try (Browser b = new Browser(server.baseUrl())) {
            boardAt(b);
            String stretch = row(annaId) + "button.stretch[data-start='13:00']";
            b.waitFor(By.cssSelector(stretch));
            assertThat(b.attrOf(stretch, "aria-label")).isEqualTo("Book Anna Reyes from 1:00 PM (free until 5:00 PM)");
            b.act(By.cssSelector(stretch), WebElement::click);
            WebElement dialog = b.waitFor(By.id("book-dialog"));
            b.waitUntil(WAIT, d -> dialog.isDisplayed());
            assertThat(activeId(b)).isEqualTo("book-client-q");
            assertThat(b.js("return document.getElementById('book-start').value")).isEqualTo("13:00");
            assertThat(b.js("return document.getElementById('book-date').value")).isEqualTo(DAY);
            assertThat(b.driver.findElement(By.cssSelector("#book-therapists input[value='" + annaId + "']")).isSelected()).isTrue();
            chooseMariaAndSwedish(b);
            assertThat(b.text(By.xpath("//*[@id='book-services']//input[@value='" + swedish + "']/parent::label")))
                    .isEqualTo("Swedish · 60 min · ₱800.00");
            assertThat(b.text(By.id("book-end"))).isEqualTo("Ends 2:00 PM, 1 h.");
            assertThat(b.js("return document.getElementById('book-address').value")).isEqualTo("12 Rizal Ave, Manila");
            b.screenshot("booking-form-1280");
            Axe.assertNoSeriousViolations(b, "booking form");
            b.driver.findElement(By.id("book-submit")).click();

            String visit = row(annaId) + "button.visit.status-pending"; // rows are redrawn on every change: query afresh
            b.waitFor(By.cssSelector(visit));
            b.waitUntil(WAIT, d -> !dialog.isDisplayed());
            assertThat(activeId(b)).startsWith("Book Anna Reyes"); // back on the (redrawn) free stretch
            assertThat(b.textOf(visit)).isEqualTo("pending"); // a one-hour visit is short: its details are in its name and panel
            assertThat(b.attrOf(visit, "aria-label")).isEqualTo("Appointment 1:00 PM – 2:00 PM: Swedish for Maria Clara, pending");
            long id = Long.parseLong(b.attrOf(visit, "data-appointment-id"));
            b.waitUntil(WAIT, d -> b.text(By.id("attention-list")).contains("Swedish for Maria Clara with Anna Reyes at 1:00 PM"));
            // the rest of Anna's afternoon is still bookable, after the travel buffer
            b.waitFor(By.cssSelector(row(annaId) + "button.stretch[data-start='14:30']"));

            b.recordAnnouncements("board-announcer");
            long before = System.nanoTime();
            assertThat(anna.post("/api/appointments/" + id + "/accept", Map.of()).status()).isEqualTo(200);
            b.waitUntil(WAIT, d -> !d.findElements(By.cssSelector(row(annaId) + "button.visit.status-confirmed[data-appointment-id='" + id + "']")).isEmpty());
            System.out.printf("booking browser test: therapist's accept shown confirmed on the operator's board after %d ms%n",
                    (System.nanoTime() - before) / 1_000_000);
            b.waitAnnounced("board-announcer", "Swedish for Maria Clara with Anna Reyes at 1:00 PM confirmed");
            assertThat(b.text(By.id("attention-list"))).doesNotContain("with Anna Reyes at 1:00 PM");
            b.js("document.querySelector('.board-scroll').scrollLeft = 700;");
            b.screenshot("booking-board-1280");

            b.act(By.cssSelector(".visit[data-appointment-id='" + id + "']"), confirmed -> confirmed.sendKeys(Keys.ENTER));
            WebElement panel = b.waitFor(By.id("appt-dialog"));
            b.waitUntil(WAIT, d -> panel.isDisplayed());
            assertThat(panel.getText()).contains("Maria Clara", "+639175550101", "12 Rizal Ave, Manila", "Swedish (60 min, ₱800.00)",
                    "Anna Reyes — accepted", "confirmed by Anna Reyes", "pending by Operator");
            // money is written one way on every page (visits.html too): the peso sign, two decimals
            assertThat(b.text(By.xpath("//dialog[@id='appt-dialog']//dt[.='Total']/following-sibling::dd[1]"))).isEqualTo("₱800.00");
            assertThat(b.driver.findElements(By.cssSelector("#appt-actions button")).stream().map(WebElement::getText).toList())
                    .containsExactly("Change time or people", "Start", "Cancel appointment");
            b.screenshot("booking-panel-1280");
            Axe.assertNoSeriousViolations(b, "appointment panel");
            new Actions(b.driver).sendKeys(Keys.ESCAPE).perform();
            b.waitUntil(WAIT, d -> !panel.isDisplayed());
            assertThat(b.js("return document.activeElement.dataset.appointmentId")).isEqualTo(String.valueOf(id));
        }
    }

    @Test
    void a_staff_booked_refusal_is_a_sentence_the_form_stays_usable_and_force_books_outside_availability() {
        long other = bookByApi(caraId, "15:00");
        try (Browser b = new Browser(server.baseUrl())) {
            boardAt(b);
            b.waitFor(By.cssSelector(row(caraId) + "button.visit[data-appointment-id='" + other + "']"));
            b.select(By.id("free-start"), "13:00");
            b.select(By.id("free-end"), "14:00");
            b.driver.findElement(By.id("free-find")).click();
            b.act(By.cssSelector("#free-book button[aria-label='Book Cara Diaz from 1:00 PM']"), WebElement::click);
            b.waitUntil(WAIT, d -> d.findElement(By.id("book-dialog")).isDisplayed());
            chooseMariaAndSwedish(b);
            b.setValue(By.id("book-start"), "14:45");
            b.driver.findElement(By.id("book-submit")).click();
            b.waitUntil(WAIT, d -> b.text(By.id("book-error")).contains("Cara Diaz already has appointment " + other));
            assertThat(b.text(By.id("book-error"))).contains("30 minutes between them for travel");
            assertThat(b.text(By.id("book-client-name"))).startsWith("Maria Clara");
            assertThat(b.driver.findElement(By.id("book-submit")).isEnabled()).isTrue();
            Axe.assertNoSeriousViolations(b, "booking form with a refusal");

            b.setValue(By.id("book-start"), "19:00"); // outside her availability
            b.driver.findElement(By.id("book-submit")).click();
            WebElement force = b.waitFor(By.id("book-force"));
            b.waitUntil(WAIT, d -> force.isDisplayed());
            assertThat(b.text(By.id("book-force-label"))).isEqualTo("Book even though Cara Diaz is not marked available — recorded as forced");
            assertThat(b.text(By.id("book-error"))).contains("Cara Diaz is not available for the whole visit");
            assertThat(activeId(b)).isEqualTo("book-force");
            b.screenshot("booking-form-force-1280");
            force.click();
            b.driver.findElement(By.id("book-submit")).click();
            String visit = row(caraId) + "button.visit[aria-label*='7:00 PM – 8:00 PM']";
            b.waitFor(By.cssSelector(visit));
            assertThat(b.attrOf(visit, "aria-label")).endsWith("pending, forced");
            b.act(By.cssSelector(visit), WebElement::click);
            b.waitUntil(WAIT, d -> d.findElement(By.id("appt-dialog")).getText().contains("yes — booked outside availability"));
        }
    }

    @Test
    void needs_attention_lists_a_rejected_visit_live_with_its_reason_and_opens_its_panel_at_phone_width() {
        long id = bookByApi(dinaId, "13:00");
        try (Browser b = new Browser(server.baseUrl(), 390, 844)) {
            boardAt(b);
            String item = "#attention-list button[data-appointment-id='" + id + "']";
            b.waitUntil(WAIT, d -> b.textOf(item) != null && b.textOf(item).startsWith("PENDING"));
            assertThat(b.textOf(item)).contains("waiting").contains("no answer yet from Dina Cruz");
            b.recordAnnouncements("board-announcer");
            assertThat(dina.post("/api/appointments/" + id + "/reject", Map.of("reason", "Car broke down")).status()).isEqualTo(200);
            b.waitUntil(WAIT, d -> b.textOf(item) != null && b.textOf(item).startsWith("REJECTED"));
            assertThat(b.textOf(item)).contains("Dina Cruz rejected it: “Car broke down”");
            b.waitUntil(WAIT, d -> !d.findElements(By.cssSelector(row(dinaId) + ".visit.status-rejected")).isEmpty());
            assertThat(b.waitAnnounced("board-announcer", "rejected")).contains("Car broke down");
            Boolean pageFits = (Boolean) b.js("return document.documentElement.scrollWidth <= window.innerWidth + 1;");
            assertThat(pageFits).isTrue();
            b.screenshot("booking-board-390");
            Axe.assertNoSeriousViolations(b, "board with needs attention, phone");

            b.act(By.cssSelector(item), WebElement::click);
            WebElement panel = b.waitFor(By.id("appt-dialog"));
            b.waitUntil(WAIT, d -> panel.isDisplayed());
            assertThat(panel.getText()).contains("Dina Cruz — rejected: “Car broke down”", "rejected by Dina Cruz — “Car broke down”");
            b.screenshot("booking-panel-390");
            Axe.assertNoSeriousViolations(b, "appointment panel, phone");
            b.driver.findElement(By.xpath("//div[@id='appt-actions']//button[text()='Cancel appointment']")).click();
            b.driver.findElement(By.xpath("//div[@id='appt-actions']//button[text()='Cancel this appointment']")).click();
            b.waitUntil(WAIT, d -> b.text(By.cssSelector("#appt-actions .error")).contains("Give a reason"));
            b.type(By.cssSelector("#appt-actions textarea"), "Client moved it to next week");
            b.driver.findElement(By.xpath("//div[@id='appt-actions']//button[text()='Cancel this appointment']")).click();
            b.waitUntil(WAIT, d -> panel.getText().contains("cancelled by Operator — “Client moved it to next week”"));
            b.waitUntil(WAIT, d -> d.findElements(By.cssSelector(item)).isEmpty());
            assertThat(op.get("/api/appointments/" + id).json().get("status").asText()).isEqualTo("cancelled");
        }
    }
}
