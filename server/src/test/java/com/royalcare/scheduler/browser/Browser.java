package com.royalcare.scheduler.browser;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One real Chromium (Debian's /usr/bin/chromium driven by /usr/bin/chromedriver), headless, with
 * its own fresh profile directory, so two Browser instances are two independent users. Selenium
 * Manager is kept offline: the driver and the browser binary are given explicitly.
 *
 * A missing Chromium fails the suite when CI=true and skips it loudly anywhere else.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("rcs.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("rcs.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String PAGE_WATCH = resource("/browser/page-watch.js");

    final String baseUrl;
    final ChromeDriver driver;
    private final Path profile;

    /** Call first in every browser test class: fails in CI, skips (loudly) elsewhere, when Chromium is missing. */
    static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (present) return;
        String message = "Chromium browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + " (Debian packages chromium and chromium-driver).";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + " CI=true, so a missing browser fails the suite.");
        }
        System.err.println("\n**********\n*** SKIPPING BROWSER TESTS: " + message + "\n**********\n");
        Assumptions.abort("SKIPPED: " + message);
    }

    Browser(String baseUrl) {
        this(baseUrl, 1280, 800);
    }

    Browser(String baseUrl, int width, int height) {
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        this.baseUrl = baseUrl;
        try {
            this.profile = Files.createTempDirectory("rcs-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                // background tabs must keep running their timers like a foreground tab would
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        if (width < MIN_WINDOW_WIDTH) { // a phone: the window cannot get that narrow, so the page is shown as on a phone
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    java.util.Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", true));
        }
    }

    /** Headless Chromium keeps a window at least this wide, whatever --window-size says. */
    private static final int MIN_WINDOW_WIDTH = 500;

    void open(String path) {
        driver.get(baseUrl + path);
    }

    /** Signs in on the sign-in page and waits for the role's page to load. */
    void signIn(String username, String password, String expectedPage) {
        open("/login.html");
        type(By.id("username"), username);
        type(By.id("password"), password);
        driver.findElement(By.id("login-submit")).click();
        waitUntil(Duration.ofSeconds(10), d -> d.getCurrentUrl().contains(expectedPage));
        waitFor(By.id("me-name"));
    }

    void type(By by, String text) {
        WebElement e = waitFor(by);
        e.clear();
        e.sendKeys(text);
    }

    void select(By by, String value) {
        new Select(waitFor(by)).selectByValue(value);
    }

    /** Sets an input's value the way a user's pick would, firing input and change. */
    void setValue(By by, String value) {
        WebElement e = waitFor(by);
        js("arguments[0].value = arguments[1];"
                + "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                + "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", e, value);
    }

    WebElement waitFor(By by) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        wait.pollingEvery(Duration.ofMillis(10));
        return wait.until(ExpectedConditions.presenceOfElementLocated(by));
    }

    <T> T waitUntil(Duration timeout, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, timeout);
        wait.pollingEvery(Duration.ofMillis(10));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // a redrawn node: ask again
        return wait.until(condition);
    }

    /** innerText of the first element matching {@code css}, or null; immune to re-rendered (stale) nodes. */
    String textOf(String css) {
        return (String) js("const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css);
    }

    /** Attribute {@code name} of the first element matching {@code css}, or null; immune to re-rendered nodes. */
    String attrOf(String css, String name) {
        return (String) js("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", css, name);
    }

    /**
     * Runs {@code action} on the element {@code by} finds, finding it again if the page re-rendered it in
     * between: board rows are redrawn whenever a live change or the day's visits arrive, so a node found a
     * moment ago may be gone (the user would simply act on the new one).
     */
    void act(By by, java.util.function.Consumer<WebElement> action) {
        waitUntil(Duration.ofSeconds(10), d -> {
            try {
                action.accept(d.findElement(by));
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                return false;
            }
        });
    }

    /** Clicks what {@code by} finds once the page has drawn it (after a redirect, its script builds the header). */
    void click(By by) {
        act(by, WebElement::click);
    }

    String text(By by) {
        return waitFor(by).getText();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The page's sync indicator state: connecting | live | reconnecting | polling. */
    String syncStatus() {
        return (String) js("const e = document.getElementById('sync-status'); return e ? e.dataset.status : null;");
    }

    /** sync-client.js stats() (its diagnostics) of the current tab: role, lastSeq, status, subscriptions, … */
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> syncStats() {
        return (java.util.Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "import('/js/sync-client.js').then(m => done(m.stats()), e => done({error: String(e)}));");
    }

    /**
     * Starts recording what the current page visibly does (test/resources/browser/page-watch.js,
     * run here, never shipped in a page): elements with {@code data-slot-id} shown, changed and
     * gone, and list snapshots loaded. Call again after navigating.
     */
    void watchPage() {
        js(PAGE_WATCH);
    }

    /**
     * Waits until the page watch recorded an entry of {@code kind} ("shown", "changed", "gone",
     * "snapshot /api/availability", …) for {@code id} (any, when null) at or after
     * {@code notBefore} (epoch ms), and returns it: {kind, id, version, at}.
     */
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> waitSeen(String kind, String id, long notBefore, Duration timeout) {
        return waitUntil(timeout, d -> (java.util.Map<String, Object>) js(
                "return (window.__pageWatch || []).find(e => e.kind === arguments[0]"
                        + " && (arguments[1] === null || e.id === arguments[1]) && e.at >= arguments[2]) || null;",
                kind, id, notBefore));
    }

    /** How many entries of {@code kind} for {@code id} the page watch recorded at or after {@code notBefore}. */
    long countSeen(String kind, String id, long notBefore) {
        return (Long) js("return (window.__pageWatch || []).filter(e => e.kind === arguments[0]"
                + " && (arguments[1] === null || e.id === arguments[1]) && e.at >= arguments[2]).length;", kind, id, notBefore);
    }

    /**
     * Starts keeping every text the live region {@code id} is given (a screen reader speaks each
     * one, so a later one, such as "Connection: Live" after a reconnect, must not hide an earlier).
     * Call before the action whose announcement {@link #waitAnnounced} then waits for.
     */
    void recordAnnouncements(String id) {
        js("const el = document.getElementById(arguments[0]); const log = (window.__announced ||= {});"
                + "if (log[arguments[0]]) return; const said = (log[arguments[0]] = []);"
                + "new MutationObserver(() => { const t = el.textContent.trim(); if (t) said.push(t); })"
                + ".observe(el, {childList: true, characterData: true, subtree: true});", id);
    }

    /** Waits until the live region {@code id} (recorded since {@link #recordAnnouncements}) said something containing {@code fragment}. */
    String waitAnnounced(String id, String fragment) {
        return waitUntil(Duration.ofSeconds(10), d -> (String) js(
                "return ((window.__announced || {})[arguments[0]] || []).find(t => t.includes(arguments[1])) || null;", id, fragment));
    }

    private static String resource(String name) {
        try (var in = Browser.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }
}
