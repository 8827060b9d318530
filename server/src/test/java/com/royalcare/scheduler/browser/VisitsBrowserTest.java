package com.royalcare.scheduler.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.scheduler.support.TestServer;
import com.royalcare.testkit.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The therapist's and driver's visits page (visits.html): the operator books through the API and the
 * assignee's open page shows it live and announces it; accept, reject with a reason, start and complete
 * with payment; a visit taken away disappears with a note. Visits are booked for today (the page shows
 * today and the next two weeks, in the browser's clock) with {@code force}, so no slots are needed.
 */
class VisitsBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ZoneId ZONE = ZoneId.of("Asia/Manila"); // the test server's business zone (default)
    private static TestServer server;
    private static ApiClient operator;
    private static long serviceId;
    private static long clientId;

    @BeforeAll
    static void startServer() {
        Browser.requireChromium();
        server = TestServer.start();
        operator = server.operator();
        serviceId = operator.post("/api/services", Map.of("name", "Swedish massage", "durationMinutes", 60, "price", "800.00")).id();
        clientId = operator.post("/api/clients", Map.of("name", "Maria Santos", "phone", "+63 917 123 4501",
                "address", "12 Jupiter St, Bel-Air, Makati")).id();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    private static String today() {
        return LocalDate.now(ZONE).toString();
    }

    /** The page's day words: "Wed 2 Dec". */
    private static String dayWords(String date) {
        return LocalDate.parse(date).format(DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH));
    }

    private static long staff(String username, String role) {
        return server.newStaff(username, role).me();
    }

    /** Books today at {@code start} (forced: outside availability) and returns the id. */
    private static long book(List<Long> therapists, Long driver, String start, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("clientId", clientId, "serviceIds", List.of(serviceId),
                "therapistIds", therapists, "date", today(), "start", start, "force", true));
        if (driver != null) body.put("driverId", driver);
        body.putAll(extra);
        ApiClient.Response r = operator.post("/api/appointments", body);
        if (r.status() != 201) throw new IllegalStateException("booking failed: " + r.status() + " " + r.text());
        return r.id();
    }

    private static JsonNode appointment(long id) {
        return operator.getOk("/api/appointments/" + id);
    }

    private static ApiClient as(String username) {
        return ApiClient.signIn(server.baseUrl(), username, ApiClient.passwordOf(username));
    }

    private static void openVisits(Browser b, String username) {
        b.signIn(username, ApiClient.passwordOf(username), "/availability.html");
        b.driver.findElement(By.linkText("My visits")).click();
        b.waitUntil(WAIT, d -> d.getCurrentUrl().endsWith("/visits.html")
                && "live".equals(b.syncStatus())
                && Boolean.TRUE.equals(b.js("return document.getElementById('visits-loading').hidden")));
    }

    private static Browser phone() {
        return new Browser(server.baseUrl(), 390, 844);
    }

    private static String card(long id) {
        return "[data-appointment-id=\"" + id + "\"]";
    }

    private static void waitStatus(Browser b, long id, String word) {
        b.waitUntil(WAIT, d -> word.equals(b.textOf(card(id) + " .visit-status")));
    }

    private static void click(Browser b, long id, String action) {
        b.waitFor(By.cssSelector(card(id) + " button[data-action=\"" + action + "\"]")).click();
    }

    @Test
    void a_visit_booked_while_the_page_is_open_appears_at_once_is_announced_and_accepting_confirms_it() {
        long tess = staff("tess", "therapist");
        try (Browser b = new Browser(server.baseUrl())) {
            openVisits(b, "tess");
            assertThat(b.textOf("#visits-empty")).contains("No visits");
            Axe.assertNoSeriousViolations(b, "no visits yet");

            long booked = System.nanoTime();
            long id = book(List.of(tess), null, "14:00", Map.of("notes", "Gate code 1234; small dog"));
            b.waitUntil(WAIT, d -> b.textOf(card(id)) != null);
            long shownMs = (System.nanoTime() - booked) / 1_000_000;
            String banner = "New visit: Swedish massage at 2:00 PM on " + dayWords(today()) + " — please accept or reject";
            b.waitUntil(WAIT, d -> banner.equals(b.textOf("#visits-announce")));
            System.out.printf("[visits] operator booked → visit shown on the therapist's open page in %d ms%n", shownMs);

            assertThat(b.textOf("#notices")).contains(banner);
            assertThat(b.textOf("#visits-list h2")).isEqualTo("Today, " + dayWords(today()));
            assertThat(b.textOf(card(id))).contains("2:00 PM – 3:00 PM", "Maria Santos", "12 Jupiter St, Bel-Air, Makati",
                    "Swedish massage (60 min) — total ₱800.00", "Gate code 1234; small dog", "Not answered yet");
            assertThat(b.textOf(card(id) + " .visit-status")).isEqualTo("Pending");
            assertThat(b.js("return document.querySelector(arguments[0]).getAttribute('href')", card(id) + " a[href^='tel:']"))
                    .isEqualTo("tel:+639171234501");
            b.screenshot("visits-new-1280");
            Axe.assertNoSeriousViolations(b, "a new visit announced");

            long clicked = System.nanoTime();
            click(b, id, "accept");
            waitStatus(b, id, "Confirmed");
            System.out.printf("[visits] accept clicked → Confirmed on the page in %d ms%n", (System.nanoTime() - clicked) / 1_000_000);
            assertThat(b.textOf(card(id))).contains("You accepted");
            // the live region is cleared, then refilled 50 ms later, so that a repeated sentence is read out again
            b.waitUntil(WAIT, d -> b.textOf("#visits-announce").startsWith("You accepted this visit."));
            assertThat(b.js("return document.activeElement.id")).isEqualTo("visit-" + id + "-title");
            assertThat(appointment(id).get("status").asText()).isEqualTo("confirmed");
        }
    }

    @Test
    void a_driver_sees_the_therapists_answer_live_and_may_accept_but_not_start() {
        long tina = staff("tina", "therapist");
        long dave = staff("dave", "driver");
        long id = book(List.of(tina), dave, "10:00", Map.of());
        try (Browser b = new Browser(server.baseUrl())) {
            openVisits(b, "dave");
            b.waitUntil(WAIT, d -> b.textOf(card(id)) != null);
            assertThat(b.textOf(card(id))).contains("Test tina (therapist): not answered yet");

            as("tina").post("/api/appointments/" + id + "/accept", Map.of());
            b.waitUntil(WAIT, d -> b.textOf(card(id)).contains("Test tina (therapist): accepted"));
            click(b, id, "accept");
            waitStatus(b, id, "Confirmed");
            assertThat(b.driver.findElements(By.cssSelector(card(id) + " button[data-action]")))
                    .extracting(e -> e.getAttribute("data-action")).containsExactly("reject");
        }
    }

    @Test
    void rejecting_needs_a_reason_and_the_operator_gets_it() {
        long rose = staff("rose", "therapist");
        long id = book(List.of(rose), null, "16:00", Map.of());
        try (Browser b = phone()) {
            openVisits(b, "rose");
            click(b, id, "reject");
            b.waitUntil(WAIT, d -> ("reject-" + id + "-reason").equals(b.js("return document.activeElement.id")));
            b.driver.findElement(By.cssSelector(card(id) + " form button[type=submit]")).click();
            b.waitUntil(WAIT, d -> "true".equals(b.js("return document.getElementById(arguments[0]).getAttribute('aria-invalid')",
                    "reject-" + id + "-reason")));
            assertThat(b.textOf("#reject-" + id + "-error")).isEqualTo("Please say why you cannot take this visit; the operator needs the reason.");
            assertThat(appointment(id).get("status").asText()).isEqualTo("pending");
            b.screenshot("visits-reject-390");
            Axe.assertNoSeriousViolations(b, "reject form with a missing reason");

            b.type(By.id("reject-" + id + "-reason"), "My car broke down");
            b.driver.findElement(By.cssSelector(card(id) + " form button[type=submit]")).click();
            waitStatus(b, id, "Rejected");
            assertThat(b.textOf(card(id))).contains("You rejected: “My car broke down”");
            assertThat(b.driver.findElements(By.cssSelector(card(id) + " button[data-action]"))).isEmpty();

            JsonNode seen = appointment(id);
            assertThat(seen.get("status").asText()).isEqualTo("rejected");
            assertThat(seen.get("therapists").get(0).get("reason").asText()).isEqualTo("My car broke down");
        }
    }

    @Test
    void starting_and_completing_records_the_payment_prefilled_with_the_total() {
        long sam = staff("sam", "therapist");
        long id = book(List.of(sam), null, "12:00", Map.of());
        as("sam").post("/api/appointments/" + id + "/accept", Map.of());
        try (Browser b = phone()) {
            openVisits(b, "sam");
            waitStatus(b, id, "Confirmed");
            b.screenshot("visits-confirmed-390");
            click(b, id, "start");
            waitStatus(b, id, "In progress");

            click(b, id, "complete");
            By amount = By.id("complete-" + id + "-amount");
            assertThat(b.waitFor(amount).getAttribute("value")).isEqualTo("800.00");
            b.driver.findElement(By.cssSelector(card(id) + " form button[type=submit]")).click();
            b.waitUntil(WAIT, d -> "Choose how the client paid: cash, GCash or bank transfer.".equals(b.textOf("#complete-" + id + "-error")));
            b.screenshot("visits-complete-390");
            Axe.assertNoSeriousViolations(b, "complete form");

            b.driver.findElement(By.cssSelector(card(id) + " input[value=gcash]")).click();
            b.type(amount, "750");
            b.driver.findElement(By.cssSelector(card(id) + " form button[type=submit]")).click();
            waitStatus(b, id, "Completed");
            assertThat(b.textOf(card(id))).contains("₱750.00 by GCash");

            JsonNode seen = appointment(id);
            assertThat(seen.get("status").asText()).isEqualTo("completed");
            assertThat(seen.get("payment").get("method").asText()).isEqualTo("gcash");
            assertThat(seen.get("payment").get("amountPaid").decimalValue()).isEqualByComparingTo("750");
        }
    }

    @Test
    void a_visit_reassigned_away_disappears_with_a_note_and_a_cancelled_one_says_so() {
        long uma = staff("uma", "therapist");
        long vic = staff("vic", "therapist");
        long moved = book(List.of(uma), null, "18:00", Map.of());
        long cancelled = book(List.of(uma), null, "20:00", Map.of());
        try (Browser b = new Browser(server.baseUrl())) {
            openVisits(b, "uma");
            b.waitUntil(WAIT, d -> b.textOf(card(moved)) != null && b.textOf(card(cancelled)) != null);

            ApiClient.Response r = operator.patch("/api/appointments/" + moved, Map.of("therapistIds", List.of(vic), "force", true),
                    "\"" + appointment(moved).get("version").asText() + "\"");
            assertThat(r.status()).isEqualTo(200);
            b.waitUntil(WAIT, d -> b.textOf(card(moved)) == null);
            assertThat(b.textOf("#notices")).contains("Removed: Swedish massage at 6:00 PM on " + dayWords(today())
                    + " — you are no longer on this visit.");

            assertThat(operator.post("/api/appointments/" + cancelled + "/cancel", Map.of("reason", "Client is ill")).status()).isEqualTo(200);
            waitStatus(b, cancelled, "Cancelled");
            b.waitUntil(WAIT, d -> ("Cancelled by the operator: Swedish massage at 8:00 PM on " + dayWords(today()) + ".")
                    .equals(b.textOf("#visits-announce")));
            assertThat(b.driver.findElements(By.cssSelector(card(cancelled) + " button[data-action]"))).isEmpty();
        }
    }

    @Test
    void an_answer_to_a_visit_cancelled_meanwhile_is_explained_in_words_and_the_card_catches_up() {
        long wes = staff("wes", "therapist");
        long id = book(List.of(wes), null, "09:00", Map.of());
        try (Browser b = new Browser(server.baseUrl())) {
            b.signIn("wes", ApiClient.passwordOf("wes"), "/availability.html");
            // No live changes reach this page (stream and polling blocked), so it still offers Accept.
            b.driver.executeCdpCommand("Network.enable", Map.of());
            b.driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/api/events*", "*/api/changes*")));
            b.open("/visits.html");
            b.waitFor(By.cssSelector(card(id) + " button[data-action=accept]"));
            assertThat(operator.post("/api/appointments/" + id + "/cancel", Map.of("reason", "Client is ill")).status()).isEqualTo(200);

            click(b, id, "accept");
            b.waitUntil(WAIT, d -> "This visit was cancelled by the operator.".equals(b.textOf(card(id) + " [role=alert]")));
            waitStatus(b, id, "Cancelled");
            assertThat(b.driver.findElements(By.cssSelector(card(id) + " button[data-action]"))).isEmpty();
        }
    }
}
