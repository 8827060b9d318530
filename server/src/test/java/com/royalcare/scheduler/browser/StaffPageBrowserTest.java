package com.royalcare.scheduler.browser;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The operators' staff page: create, edit, reset a password, unlock, disable with a confirmation, live for a colleague. */
class StaffPageBrowserTest {

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

    static By button(String accessibleName) {
        return By.xpath("//button[@aria-label=" + quote(accessibleName) + " or (not(@aria-label) and normalize-space(.)=" + quote(accessibleName) + ")]");
    }

    static By field(String label) {
        return By.xpath("//label[contains(normalize-space(.), " + quote(label) + ")]//*[self::input or self::select]");
    }

    static String quote(String s) {
        return "'" + s + "'";
    }

    static String rowText(Browser b, String name) {
        return (String) b.js("const r = [...document.querySelectorAll('#staff-body tr')].find(r => r.querySelector('.staff-name')?.textContent === arguments[0]);"
                + " return r ? r.innerText : null;", name);
    }

    private static void openStaffPage(Browser b) {
        b.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
        b.driver.findElement(By.linkText("Staff")).click();
        b.waitUntil(WAIT, d -> d.getCurrentUrl().endsWith("/staff.html") && "live".equals(b.syncStatus()));
    }

    @Test
    void operator_creates_edits_resets_unlocks_and_disables_while_a_colleague_watches_live() {
        server.operator().createStaff("colleague", "operator");
        try (Browser b = new Browser(server.baseUrl()); Browser colleague = new Browser(server.baseUrl())) {
            colleague.signIn("colleague", ApiClient.passwordOf("colleague"), "/board.html");
            colleague.open("/staff.html");
            colleague.waitUntil(WAIT, d -> "live".equals(colleague.syncStatus()));
            openStaffPage(b);

            // create: the rules are on screen before anything is submitted
            b.driver.findElement(button("Add staff member")).click();
            WebElement dialog = b.waitFor(By.id("staff-dialog"));
            assertThat(dialog.isDisplayed()).isTrue();
            assertThat(dialog.getText()).contains("8–72 characters").contains("lowercase letters, digits");
            b.type(field("Name"), "Anna Reyes");
            b.type(field("Username"), "anna.reyes");
            b.select(field("Role"), "therapist");
            b.type(field("Password"), "short");
            b.driver.findElement(button("Create account")).click();
            b.waitUntil(WAIT, d -> d.findElement(By.id("staff-form-error")).isDisplayed());
            assertThat(b.text(By.id("staff-form-error"))).contains("password");
            b.type(field("Password"), "anna-secret-1");
            b.type(field("Phone"), "+63 917 000 1111");
            b.type(field("Specialization"), "Shiatsu");
            b.select(field("Pressure"), "hard");
            b.driver.findElement(button("Create account")).click();
            b.waitUntil(WAIT, d -> rowText(b, "Anna Reyes") != null && !d.findElement(By.id("staff-dialog")).isDisplayed());
            assertThat(rowText(b, "Anna Reyes")).contains("anna.reyes", "Therapist", "Active", "+63 917 000 1111", "Shiatsu", "hard");
            assertThat(b.js("return document.activeElement.getAttribute('aria-label')")).isEqualTo("Edit Anna Reyes");
            ApiClient anna = ApiClient.signIn(server.baseUrl(), "anna.reyes", "anna-secret-1");
            long annaId = anna.me();
            colleague.waitUntil(WAIT, d -> rowText(colleague, "Anna Reyes") != null);

            // edit a field
            b.driver.findElement(button("Edit Anna Reyes")).click();
            b.type(field("Phone"), "+63 917 222 3333");
            b.driver.findElement(button("Save changes")).click();
            b.waitUntil(WAIT, d -> rowText(b, "Anna Reyes").contains("+63 917 222 3333"));
            colleague.waitUntil(WAIT, d -> rowText(colleague, "Anna Reyes").contains("+63 917 222 3333"));

            // reset the password
            b.driver.findElement(button("Reset password of Anna Reyes")).click();
            assertThat(b.text(By.id("password-dialog"))).contains("8–72 characters");
            b.type(By.id("p-password"), "anna-new-pass-2");
            b.driver.findElement(button("Set new password")).click();
            b.waitUntil(WAIT, d -> !d.findElement(By.id("password-dialog")).isDisplayed());
            assertThat(ApiClient.signIn(server.baseUrl(), "anna.reyes", "anna-new-pass-2").me()).isEqualTo(annaId);

            // locked out by wrong passwords: both open pages show it without a reload, saying until when (business
            // time), with an Unlock button; unlocking clears it on both, live, and lets her in again
            for (int i = 0; i < 5; i++) {
                server.anonymous().post("/api/auth/login", Map.of("username", "anna.reyes", "password", "nope-nope"));
            }
            String lockedRow = "(?s).*Locked until \\d{1,2}:\\d\\d [AP]M.*";
            b.waitUntil(WAIT, d -> rowText(b, "Anna Reyes").matches(lockedRow) && !d.findElements(button("Unlock Anna Reyes")).isEmpty());
            colleague.waitUntil(WAIT, d -> rowText(colleague, "Anna Reyes").matches(lockedRow)
                    && !d.findElements(button("Unlock Anna Reyes")).isEmpty());
            b.waitUntil(WAIT, d -> String.valueOf(b.js("return document.getElementById('announcer').textContent")).contains("Anna Reyes is locked out until"));
            b.driver.findElement(button("Unlock Anna Reyes")).click();
            b.waitUntil(WAIT, d -> rowText(b, "Anna Reyes").contains("Active"));
            colleague.waitUntil(WAIT, d -> rowText(colleague, "Anna Reyes").contains("Active")
                    && d.findElements(button("Unlock Anna Reyes")).isEmpty());
            assertThat(ApiClient.signIn(server.baseUrl(), "anna.reyes", "anna-new-pass-2").me()).isEqualTo(annaId);

            // disable: a confirmation says what happens; cancelling changes nothing
            b.driver.findElement(button("Disable Anna Reyes")).click();
            WebElement confirm = b.waitFor(By.id("confirm-dialog"));
            assertThat(confirm.getText()).contains("signed out everywhere").contains("disappear from the board");
            confirm.findElement(By.xpath(".//button[normalize-space(.)='Cancel']")).click();
            assertThat(rowText(b, "Anna Reyes")).contains("Active");
            assertThat(b.js("return document.activeElement.getAttribute('aria-label')")).isEqualTo("Disable Anna Reyes");
            b.driver.findElement(button("Disable Anna Reyes")).click();
            confirm.findElement(By.xpath(".//button[normalize-space(.)='Disable Anna Reyes']")).click(); // names the person
            b.waitUntil(WAIT, d -> rowText(b, "Anna Reyes").contains("Disabled"));
            assertThat(anna.get("/api/me").status()).isEqualTo(401);
            colleague.waitUntil(WAIT, d -> rowText(colleague, "Anna Reyes").contains("Disabled"));

            // search
            b.type(By.id("staff-search"), "colleague");
            assertThat(b.driver.findElement(By.xpath("//tr[.//span[@class='staff-name' and .='Anna Reyes']]")).isDisplayed()).isFalse();
            b.screenshot("staff-page");
        }
    }
}
