package com.royalcare.scheduler.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.testkit.FreezableRelay;
import com.royalcare.testkit.PrometheusScrape;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import static com.royalcare.scheduler.browser.BrowserFixtures.DAY;
import static com.royalcare.scheduler.browser.BrowserFixtures.NEXT_DAY;
import static com.royalcare.scheduler.browser.BrowserFixtures.createSlot;
import static com.royalcare.scheduler.browser.BrowserFixtures.deleteSlot;
import static com.royalcare.scheduler.browser.BrowserFixtures.streamsOpen;
import static com.royalcare.scheduler.browser.BrowserFixtures.toggleSlot;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live sync between real browsers: one user's change on another user's screen, one stream per
 * browser however many tabs, a server restart, and a date change in the middle of writes.
 * Each test gets its own server, so the stream gauge counts only its browsers.
 */
class LiveSyncBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The board loading its slots (page-watch.js). */
    private static final String SLOT_SNAPSHOT = "snapshot /api/availability";
    /** The server counts a stream the browser closed as gone at its next heartbeat writes (15 s apart). */
    private static final Duration SERVER_NOTICES_CLOSED_STREAM = Duration.ofSeconds(40);

    private TestServer server;
    private final List<TestServer> others = new ArrayList<>();

    /** The fixed dates (BrowserFixtures.DAY, 2030) must be near "today" for therapists' writes. */
    private static final java.time.Clock CLOCK =
            com.royalcare.scheduler.support.TestClocks.startingAt(java.time.LocalDate.parse(BrowserFixtures.PREVIOUS_DAY).minusDays(10));

    @BeforeAll
    static void requireBrowser() {
        Browser.requireChromium();
    }

    @BeforeEach
    void startServer() {
        // the fixed dates (BrowserFixtures.DAY, 2030) must be near "today" for therapists' writes
        server = TestServer.start(java.util.Map.of(), CLOCK);
    }

    @AfterEach
    void stopServers() {
        if (server != null) server.close();
        others.forEach(TestServer::close);
    }

    /** Signs the operator in and opens the board on {@code date}, live. */
    private static void operatorBoardLive(Browser browser, String date) {
        browser.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
        openBoardLive(browser, date);
    }

    private static void openBoardLive(Browser browser, String date) {
        browser.open("/board.html?date=" + date);
        browser.waitUntil(WAIT, d -> "live".equals(browser.syncStatus()));
    }

    /**
     * Signs in (landing on the board) and picks the date in the page, so no earlier page's stream
     * lingers on the server (it counts a closed stream as gone only at its next heartbeat).
     */
    private static void signInToBoardLive(Browser browser, String date) {
        browser.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
        browser.setValue(By.id("board-date"), date);
        browser.waitUntil(WAIT, d -> date.equals(browser.js("return document.getElementById('board').dataset.date"))
                && "live".equals(browser.syncStatus()));
    }

    private static String row(long staffId) {
        return ".board-row[data-staff-id='" + staffId + "']";
    }

    @Test
    void therapist_changes_show_on_the_operator_board_in_another_browser_within_a_second() {
        ApiClient wendy = server.newStaff("wendy", "therapist");
        long wendyId = wendy.me();
        Map<String, List<Long>> latencies = new TreeMap<>();
        try (Browser therapist = new Browser(server.baseUrl()); Browser operator = new Browser(server.baseUrl())) {
            operator.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
            openBoardLive(operator, DAY);
            operator.waitFor(By.cssSelector(row(wendyId)));
            therapist.signIn("wendy", ApiClient.passwordOf("wendy"), "/availability.html");
            therapist.open("/availability.html?date=" + DAY);
            therapist.waitUntil(WAIT, d -> d.findElement(By.id("empty-state")).isDisplayed());
            operator.watchPage();
            therapist.watchPage();

            for (int round = 0; round < 5; round++) {
                // create
                therapist.select(By.id("add-start"), "13:00");
                therapist.select(By.id("add-end"), "17:00");
                long t0 = System.currentTimeMillis();
                therapist.driver.findElement(By.id("add-submit")).click();
                Map<String, Object> created = operator.waitSeen("shown", null, t0, WAIT);
                String id = (String) created.get("id");
                record(latencies, "create", (long) created.get("at") - t0);
                // Split: click to the writer's own page showing it, then from there to the other screen
                // (negative: the other screen had it before the writer's page).
                Map<String, Object> own = therapist.waitSeen("shown", id, t0, WAIT);
                record(latencies, "create: click to own page", (long) own.get("at") - t0);
                record(latencies, "create: own page to other board", (long) created.get("at") - (long) own.get("at"));
                assertThat(operator.driver.findElements(By.cssSelector(row(wendyId) + " .block[data-slot-id='" + id + "'][data-available='true']")))
                        .hasSize(1);

                // toggle
                String button = "#slots-body tr[data-slot-id='" + id + "'] button.toggle";
                therapist.waitFor(By.cssSelector(button));
                long t1 = System.currentTimeMillis();
                therapist.driver.findElement(By.cssSelector(button)).click();
                Map<String, Object> updated = operator.waitSeen("changed", id, t1, WAIT);
                record(latencies, "toggle", (long) updated.get("at") - t1);
                assertThat(operator.driver.findElements(By.cssSelector(row(wendyId) + " .block[data-slot-id='" + id + "'][data-available='false']")))
                        .hasSize(1);
                if (round == 0) operator.screenshot("board-live-change");

                // delete (with the page's confirmation)
                therapist.act(By.cssSelector("#slots-body tr[data-slot-id='" + id + "'] button.delete"), WebElement::click);
                therapist.waitUntil(WAIT, d -> d.findElement(By.id("ask-dialog")).isDisplayed());
                long t2 = System.currentTimeMillis();
                therapist.driver.findElement(By.id("ask-yes")).click();
                Map<String, Object> deleted = operator.waitSeen("gone", id, t2, WAIT);
                record(latencies, "delete", (long) deleted.get("at") - t2);
                assertThat(operator.driver.findElements(By.cssSelector(".block[data-slot-id='" + id + "']"))).isEmpty();
                therapist.waitUntil(WAIT, d -> d.findElement(By.id("empty-state")).isDisplayed());
            }
            // The writer's own tab showed each change once: its own events came back and were deduped.
            assertThat(therapist.driver.findElements(By.cssSelector("#slots-body tr[data-slot-id]"))).isEmpty();
        }
        System.out.println("Browser-to-browser latency, click in the therapist's browser to display on the operator's board (ms): "
                + latencies);
        latencies.forEach((kind, values) -> assertThat(values).as(kind + " latencies (ms)").allMatch(ms -> ms < 1000));
    }

    private static void record(Map<String, List<Long>> latencies, String kind, long ms) {
        latencies.computeIfAbsent(kind, k -> new ArrayList<>()).add(ms);
    }

    @Test
    void two_tabs_hold_one_stream_and_closing_the_leader_tab_keeps_the_other_live() {
        ApiClient xena = server.newStaff("xena", "driver");
        long xenaId = xena.me();
        try (Browser browser = new Browser(server.baseUrl())) {
            signInToBoardLive(browser, DAY);
            String first = browser.driver.getWindowHandle();
            browser.driver.switchTo().newWindow(WindowType.TAB);
            openBoardLive(browser, DAY);
            String second = browser.driver.getWindowHandle();

            browser.waitUntil(WAIT, d -> streamsOpen(server) == 1);
            assertThat(roles(browser, first, second)).containsExactlyInAnyOrder("leader", "follower");
            // Both tabs receive a change, through the one stream.
            long slot = createSlot(xena, DAY, "08:00", "10:00", true);
            for (String tab : List.of(first, second)) {
                browser.driver.switchTo().window(tab);
                browser.waitFor(By.cssSelector(row(xenaId) + " .block[data-slot-id='" + slot + "']"));
            }
            assertThat(streamsOpen(server)).isEqualTo(1);

            String leader = "leader".equals(roles(browser, first, second).get(0)) ? first : second;
            String follower = leader.equals(first) ? second : first;
            browser.driver.switchTo().window(leader);
            browser.driver.close();
            browser.driver.switchTo().window(follower);
            browser.waitUntil(WAIT, d -> "leader".equals(browser.syncStats().get("role")) && "live".equals(browser.syncStatus()));

            long next = createSlot(xena, DAY, "11:00", "12:00", false);
            toggleSlot(xena, slot);
            browser.waitFor(By.cssSelector(row(xenaId) + " .block[data-slot-id='" + next + "'][data-available='false']"));
            browser.waitFor(By.cssSelector(row(xenaId) + " .block[data-slot-id='" + slot + "'][data-available='false']"));
            browser.waitUntil(SERVER_NOTICES_CLOSED_STREAM, d -> streamsOpen(server) == 1);
        }
    }

    @Test
    void a_frozen_leader_tab_is_replaced_by_another_tab_that_resumes_without_loss() {
        ApiClient bobby = server.newStaff("bobby", "therapist");
        long boId = bobby.me();
        try (Browser browser = new Browser(server.baseUrl())) {
            signInToBoardLive(browser, DAY);
            String first = browser.driver.getWindowHandle();
            browser.driver.switchTo().newWindow(WindowType.TAB);
            openBoardLive(browser, DAY);
            String second = browser.driver.getWindowHandle();
            String leader = "leader".equals(roles(browser, first, second).get(0)) ? first : second;
            String follower = leader.equals(first) ? second : first;

            browser.driver.switchTo().window(leader);
            browser.driver.executeCdpCommand("Page.setWebLifecycleState", Map.of("state", "frozen"));
            long whileFrozen = createSlot(bobby, DAY, "07:00", "08:00", true);
            browser.driver.switchTo().window(follower);
            Instant frozen = Instant.now();
            browser.waitUntil(Duration.ofSeconds(20), d -> "leader".equals(browser.syncStats().get("role")));
            System.out.println("A follower took over " + Duration.between(frozen, Instant.now()).toMillis()
                    + " ms after the leader tab froze");
            browser.waitUntil(WAIT, d -> "live".equals(browser.syncStatus()));
            long afterTakeover = createSlot(bobby, DAY, "09:00", "10:00", true);
            browser.waitFor(By.cssSelector(row(boId) + " .block[data-slot-id='" + whileFrozen + "']"));
            browser.waitFor(By.cssSelector(row(boId) + " .block[data-slot-id='" + afterTakeover + "']"));

            // The old leader wakes up, steps down and catches up as a follower.
            browser.driver.switchTo().window(leader);
            browser.driver.executeCdpCommand("Page.setWebLifecycleState", Map.of("state", "active"));
            browser.waitUntil(WAIT, d -> "follower".equals(browser.syncStats().get("role")));
            browser.waitFor(By.cssSelector(row(boId) + " .block[data-slot-id='" + afterTakeover + "']"));
            browser.waitUntil(SERVER_NOTICES_CLOSED_STREAM, d -> streamsOpen(server) == 1);
        }
    }

    private static List<String> roles(Browser browser, String... tabs) {
        String current = browser.driver.getWindowHandle();
        List<String> roles = new ArrayList<>();
        for (String tab : tabs) {
            browser.driver.switchTo().window(tab);
            roles.add((String) browser.syncStats().get("role"));
        }
        browser.driver.switchTo().window(current);
        return roles;
    }

    @Test
    void server_restart_shows_reconnecting_then_live_with_the_changes_made_meanwhile() {
        ApiClient yuri = server.newStaff("yuri", "therapist");
        long yuriId = yuri.me();
        long kept = createSlot(yuri, DAY, "09:00", "10:00", true);
        long removed = createSlot(yuri, DAY, "11:00", "12:00", true);
        int port = server.port();
        try (Browser browser = new Browser(server.baseUrl())) {
            operatorBoardLive(browser, DAY);
            browser.waitFor(By.cssSelector(".block[data-slot-id='" + removed + "']"));

            server.close();
            browser.waitUntil(WAIT, d -> "reconnecting".equals(browser.syncStatus()));
            assertThat(browser.text(By.id("sync-status"))).isEqualTo("Reconnecting");
            browser.screenshot("board-reconnecting");

            // Meanwhile, changes land through another server on the same data (the browser cannot see it).
            TestServer meanwhile = TestServer.restart(server.dataDir(), 0, Map.of(), CLOCK);
            ApiClient writer = ApiClient.signIn(meanwhile.baseUrl(), "yuri", ApiClient.passwordOf("yuri"));
            long added = createSlot(writer, DAY, "13:00", "17:00", true);
            toggleSlot(writer, kept);
            deleteSlot(writer, removed);
            meanwhile.close();
            assertThat(browser.syncStatus()).isEqualTo("reconnecting");

            server = TestServer.restart(server.dataDir(), port, Map.of(), CLOCK);
            Instant restarted = Instant.now();
            browser.waitUntil(Duration.ofSeconds(15), d -> "live".equals(browser.syncStatus()));
            String block = row(yuriId) + " .block[data-slot-id='%d']";
            browser.waitFor(By.cssSelector(block.formatted(added)));
            browser.waitFor(By.cssSelector(block.formatted(kept) + "[data-available='false']"));
            browser.waitUntil(WAIT, d -> d.findElements(By.cssSelector(block.formatted(removed))).isEmpty());
            System.out.println("Live again " + Duration.between(restarted, Instant.now()).toMillis()
                    + " ms after the server restarted, with the changes made meanwhile");
            browser.screenshot("board-live-after-restart");
        }
    }

    @Test
    void a_date_change_in_the_middle_of_writes_misses_nothing() throws Exception {
        ApiClient zoe = server.newStaff("zoe", "therapist");
        long zoeId = zoe.me();
        ApiClient operatorApi = server.operator();
        try (Browser browser = new Browser(server.baseUrl())) {
            operatorBoardLive(browser, DAY);

            int total = 60;
            AtomicInteger done = new AtomicInteger();
            Semaphore flipped = new Semaphore(0); // the writer runs at most 4 writes ahead of the date changes
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    String date = i % 2 == 0 ? DAY : NEXT_DAY;
                    int minutes = 6 * 60 + 30 * (i / 2);
                    String start = "%02d:%02d".formatted(minutes / 60, minutes % 60);
                    String end = "%02d:%02d".formatted((minutes + 30) / 60, (minutes + 30) % 60);
                    ids.add(createSlot(zoe, date, start, end, true));
                    if (i % 3 == 2) toggleSlot(zoe, ids.get(i - 1));
                    if (i % 5 == 4) deleteSlot(zoe, ids.get(i - 4));
                    done.incrementAndGet();
                    if (i % 4 == 3) flipped.acquireUninterruptibly();
                }
            });
            // Flip between the two dates while the writes go on; the last flip lands two thirds in.
            boolean onDay = true;
            int doneAtLastChange = 0;
            while (done.get() < total * 2 / 3 && !writes.isDone()) {
                onDay = !onDay;
                doneAtLastChange = done.get();
                browser.driver.findElement(By.id(onDay ? "prev-day" : "next-day")).click();
                String expected = onDay ? DAY : NEXT_DAY;
                browser.waitUntil(WAIT, d -> expected.equals(browser.js("return document.getElementById('board').dataset.date")));
                flipped.release();
            }
            if (!onDay) {
                doneAtLastChange = done.get();
                browser.driver.findElement(By.id("prev-day")).click();
            }
            flipped.release(total);
            writes.get();
            assertThat(doneAtLastChange).as("writes after the last date change").isLessThan(total - 10);

            Map<String, String> truth = boardTruth(operatorApi, zoeId, DAY, BrowserFixtures.PREVIOUS_DAY);
            assertThat(truth).isNotEmpty();
            browser.waitUntil(WAIT, d -> truth.equals(shown(browser, zoeId)));
            assertThat(shown(browser, zoeId)).isEqualTo(truth);
            // Every date change unsubscribed the old view: the staff list, this date's slots, the activity feed, and (issue 10)
            // this date's appointments and the pending and rejected ones of "Needs attention" remain.
            assertThat(((Number) browser.syncStats().get("subscriptions")).intValue()).isEqualTo(6);
            browser.screenshot("board-after-date-changes");
        }
    }

    @Test
    void a_global_refresh_makes_the_board_load_its_date_again() {
        try (Browser browser = new Browser(server.baseUrl())) {
            signInToBoardLive(browser, DAY);
            browser.watchPage();
            long t0 = System.currentTimeMillis();
            ApiClient.Response r = server.operator().post("/api/sync/refresh", Map.of("date", DAY));
            assertThat(r.status()).isEqualTo(200);
            Map<String, Object> reload = browser.waitSeen(SLOT_SNAPSHOT, DAY, t0, WAIT);
            assertThat(((Number) reload.get("version")).longValue()).as("the new snapshot's seq")
                    .isGreaterThanOrEqualTo(r.json().get("seq").asLong());
            // Out of scope (another date): no reload.
            long t1 = System.currentTimeMillis();
            server.operator().post("/api/sync/refresh", Map.of("date", NEXT_DAY));
            long t2 = System.currentTimeMillis();
            server.operator().post("/api/sync/refresh", Map.of("date", DAY));
            browser.waitSeen(SLOT_SNAPSHOT, DAY, t2, WAIT);
            assertThat(browser.countSeen(SLOT_SNAPSHOT, null, t1)).isEqualTo(1L);
        }
    }

    /**
     * A change type no page knows today (the server has none yet) reaches the subscriptions and the
     * live collection that name it, matched on several staff and dates, with no change to
     * sync-client.js. The changes come the way a follower tab gets them: relayed by the leader
     * tab over the BroadcastChannel (here a test script plays the leader).
     */
    @Test
    void a_new_event_type_reaches_the_subscribers_that_name_it() {
        try (Browser browser = new Browser(server.baseUrl())) {
            signInToBoardLive(browser, DAY);
            String first = browser.driver.getWindowHandle();
            browser.driver.switchTo().newWindow(WindowType.TAB);
            openBoardLive(browser, DAY);
            String second = browser.driver.getWindowHandle();
            browser.waitUntil(WAIT, d -> roles(browser, first, second).containsAll(List.of("leader", "follower")));
            browser.driver.switchTo().window("follower".equals(roles(browser, first, second).get(0)) ? first : second);

            Object started = browser.driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    (async () => {
                      const sync = await import('/js/sync-client.js');
                      const { liveCollection } = await import('/js/live-collection.js');
                      const got = window.__newTypeProbe = { all: [], named: [], scoped: [], roster: [] };
                      const roster = liveCollection({
                        events: { roster_published: 'upsert', roster_withdrawn: 'remove' },
                        view: () => ({ url: '/api/staff', scope: { staffIds: [901] } }),
                        onChange: ({ action, id }) => got.roster.push(action + ' ' + id),
                      });
                      await roster.load();
                      const s = sync.stats().lastSeq;
                      sync.subscribe({ since: s, types: '*' }, (e) => got.all.push(e.type));
                      sync.subscribe({ since: s, types: ['appointment_created'] }, (e) => got.named.push(e.seq - s));
                      sync.subscribe({ since: s, types: ['appointment_created'], staffIds: [7], from: '2030-03-12', to: '2030-03-12' },
                        (e) => got.scoped.push(e.seq - s));
                      const changes = [
                        { type: 'appointment_created', staffIds: [3, 7], dates: ['2030-03-11', '2030-03-12'], data: { id: 1 } },
                        { type: 'appointment_created', staffId: 8, date: '2030-03-12', data: { id: 2 } },
                        { type: 'appointment_created', staffId: 7, staffIds: [7], dates: ['2030-03-20'], data: { id: 3 } },
                        { type: 'roster_published', data: { id: 901, name: 'Roster' } },
                        { type: 'roster_withdrawn', data: { id: 901 } },
                        { type: 'global_refresh', staffIds: [8], dates: ['2030-03-12'], data: {} },
                        { type: 'global_refresh', staffIds: [3, 7], data: {} },
                      ];
                      const leader = new BroadcastChannel('rcs-sync');
                      changes.forEach((c, i) => leader.postMessage(
                        { t: 'ev', after: s + i, seq: s + i + 1, ev: { ...c, seq: s + i + 1 }, from: 'test-leader' }));
                      return s;
                    })().then(done, (e) => done('failed: ' + e));
                    """);
            assertThat(started).isInstanceOf(Long.class);

            @SuppressWarnings("unchecked")
            Map<String, List<Object>> got = browser.waitUntil(WAIT, d -> {
                Map<String, List<Object>> probe = (Map<String, List<Object>>) browser.js("return window.__newTypeProbe;");
                return probe.get("all").size() >= 7 && probe.get("roster").size() >= 2 ? probe : null;
            });
            assertThat(got.get("all")).containsExactly("appointment_created", "appointment_created", "appointment_created",
                    "roster_published", "roster_withdrawn", "global_refresh", "global_refresh");
            assertThat(got.get("named")).containsExactly(1L, 2L, 3L, 6L, 7L); // its type, and every global refresh (no scope)
            assertThat(got.get("scoped")).containsExactly(1L, 7L);            // staff 7 on 2030-03-12, and the refresh for 3 and 7
            assertThat(got.get("roster")).containsExactly("upsert 901", "remove 901");
        }
    }

    /**
     * A silent network drop (issue 13): the relay between browser and server stops forwarding
     * without closing anything. The stream says its heartbeat interval in `hello`; after two
     * intervals without a byte the page must stop saying "Live", and once the network is back it
     * reconnects with its last id and shows what changed meanwhile. `hello` and `heartbeat` never
     * reach a subscriber, not even one for every type.
     */
    @Test
    void a_silently_dropped_stream_leaves_live_within_two_heartbeats_and_resumes_with_the_changes_made_meanwhile() {
        long heartbeatMs = 1000;
        server.close();
        server = TestServer.start(Map.of("SYNC_HEARTBEAT_MS", String.valueOf(heartbeatMs)), CLOCK);
        ApiClient zoe = server.newStaff("zoe", "therapist");
        long zoeId = zoe.me();
        long before = createSlot(zoe, DAY, "09:00", "10:00", true);
        try (FreezableRelay relay = new FreezableRelay("127.0.0.1", server.port());
             Browser browser = new Browser(relay.baseUrl())) {
            signInToBoardLive(browser, DAY);
            browser.waitFor(By.cssSelector(row(zoeId) + " .block[data-slot-id='" + before + "']"));
            browser.waitUntil(WAIT, d -> ((Number) browser.syncStats().get("streamHeartbeatMs")).longValue() == heartbeatMs);
            Object since = browser.driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    import('/js/sync-client.js').then((sync) => {
                      const probe = window.__deadStreamProbe = { types: [], leftLiveAt: null };
                      sync.subscribe({ since: sync.stats().lastSeq, types: '*' }, (e) => probe.types.push(e.type));
                      sync.onStatus((st) => { if (st !== 'live' && probe.leftLiveAt === null) probe.leftLiveAt = Date.now(); });
                      done(sync.stats().lastSeq);
                    }, (e) => done('failed: ' + e));
                    """);
            assertThat(since).isInstanceOf(Long.class);
            // Heartbeats flow meanwhile, and the page stays live while they do.
            long heartbeats = ((Number) browser.syncStats().get("heartbeats")).longValue();
            browser.waitUntil(WAIT, d -> ((Number) browser.syncStats().get("heartbeats")).longValue() >= heartbeats + 3);
            assertThat(browser.syncStatus()).isEqualTo("live");
            assertThat(browser.js("return window.__deadStreamProbe.leftLiveAt")).isNull();

            long frozenAt = System.currentTimeMillis();
            relay.freeze();
            browser.waitUntil(Duration.ofSeconds(10), d -> !"live".equals(browser.syncStatus()));
            long leftLive = ((Number) browser.js("return window.__deadStreamProbe.leftLiveAt")).longValue();
            System.out.println("The page left Live " + (leftLive - frozenAt) + " ms after the relay froze (heartbeat "
                    + heartbeatMs + " ms)");
            // Two intervals, plus a little for timers on a loaded machine.
            assertThat(leftLive - frozenAt).isLessThanOrEqualTo(2 * heartbeatMs + 500);
            assertThat(browser.syncStatus()).isEqualTo("reconnecting");
            assertThat(browser.text(By.id("sync-status"))).isEqualTo("Reconnecting");
            browser.screenshot("board-dead-stream");

            long during = createSlot(zoe, DAY, "13:00", "14:00", true); // straight to the server, not through the relay
            assertThat(browser.syncStatus()).isNotEqualTo("live");

            relay.resume();
            browser.waitUntil(Duration.ofSeconds(20), d -> "live".equals(browser.syncStatus()));
            browser.waitFor(By.cssSelector(row(zoeId) + " .block[data-slot-id='" + during + "']"));
            long after = createSlot(zoe, DAY, "15:00", "16:00", true);
            browser.waitFor(By.cssSelector(row(zoeId) + " .block[data-slot-id='" + after + "']"));
            assertThat(((Number) browser.syncStats().get("deadStreams")).longValue()).isGreaterThanOrEqualTo(1);
            @SuppressWarnings("unchecked")
            List<Object> types = browser.waitUntil(WAIT, d -> {
                List<Object> t = (List<Object>) browser.js("return window.__deadStreamProbe.types");
                return t.size() >= 2 ? t : null;
            });
            assertThat(types).containsExactly("availability_created", "availability_created");
        }
    }

    /**
     * A write whose answer never comes (issue 13): the page gives up after its request timeout
     * with a message that says nothing may have been saved, and the button works again. The
     * request did reach the server once the network came back, so submitting the same slot again
     * is a retry of the same action: it carries the same Idempotency-Key and gets the first
     * answer, where a new key would meet the stored slot and be refused as an overlap.
     */
    @Test
    void an_add_that_times_out_says_so_frees_the_form_and_its_retry_stores_the_slot_once() {
        ApiClient ada = server.newStaff("ada", "therapist");
        try (FreezableRelay relay = new FreezableRelay("127.0.0.1", server.port());
             Browser browser = new Browser(relay.baseUrl())) {
            browser.signIn("ada", ApiClient.passwordOf("ada"), "/availability.html");
            browser.open("/availability.html?date=" + DAY);
            browser.waitUntil(WAIT, d -> d.findElement(By.id("empty-state")).isDisplayed());
            browser.select(By.id("add-start"), "13:00");
            browser.select(By.id("add-end"), "17:00");

            relay.freeze();
            long clicked = System.currentTimeMillis();
            browser.driver.findElement(By.id("add-submit")).click();
            browser.waitUntil(Duration.ofSeconds(25), d -> d.findElement(By.id("form-error")).isDisplayed());
            long gaveUp = System.currentTimeMillis() - clicked;
            assertThat(browser.text(By.id("form-error")))
                    .isEqualTo("The server did not answer in time; nothing may have been saved — try again.");
            assertThat(browser.driver.findElement(By.id("add-submit")).isEnabled()).isTrue();
            assertThat(gaveUp).isBetween(9_000L, 20_000L);
            browser.screenshot("availability-add-timed-out");

            relay.resume(); // the held request reaches the server now; its answer goes nowhere
            String slots = "/api/availability?from=" + DAY + "&to=" + DAY;
            browser.waitUntil(WAIT, d -> ada.get(slots).json().get("items").size() == 1);

            browser.driver.findElement(By.id("add-submit")).click();
            browser.waitUntil(WAIT, d -> d.findElement(By.id("form-success")).isDisplayed());
            assertThat(browser.driver.findElement(By.id("form-error")).isDisplayed()).isFalse();
            assertThat(ada.get(slots).json().get("items")).hasSize(1);
            browser.waitUntil(WAIT, d -> d.findElements(By.cssSelector("#slots-body tr[data-slot-id]")).size() == 1);
        }
    }

    @Test
    void a_stream_that_cannot_connect_falls_back_to_polling_and_says_so() {
        ApiClient abel = server.newStaff("abel", "driver");
        long abelId = abel.me();
        try (Browser browser = new Browser(server.baseUrl())) {
            // Like a proxy that refuses streams: every /api/events request fails in the browser.
            browser.driver.executeCdpCommand("Network.enable", Map.of());
            browser.driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/api/events*")));
            browser.signIn("operator", TestServer.OPERATOR_PASSWORD, "/board.html");
            browser.open("/board.html?date=" + DAY);
            browser.waitUntil(Duration.ofSeconds(15), d -> "polling".equals(browser.syncStatus()));
            assertThat(browser.text(By.id("sync-status"))).isEqualTo("Offline — polling");
            assertThat(streamsOpen(server)).isEqualTo(0);

            long t0 = System.currentTimeMillis();
            long slot = createSlot(abel, DAY, "14:00", "16:00", true);
            browser.waitFor(By.cssSelector(row(abelId) + " .block[data-slot-id='" + slot + "']"));
            System.out.println("Polling delivered a change in " + (System.currentTimeMillis() - t0) + " ms");
            browser.screenshot("board-polling");
        }
    }

    @Test
    void the_board_reports_how_long_changes_took_to_show_and_its_reconnects_to_metrics() {
        ApiClient zara = server.newStaff("zara", "therapist");
        long zaraId = zara.me();
        int port = server.port();
        try (Browser browser = new Browser(server.baseUrl())) {
            operatorBoardLive(browser, DAY);
            // A restart: the page reconnects, and counts it.
            server.close();
            browser.waitUntil(WAIT, d -> "reconnecting".equals(browser.syncStatus()));
            server = TestServer.restart(server.dataDir(), port, Map.of(), CLOCK);
            browser.waitUntil(Duration.ofSeconds(15), d -> "live".equals(browser.syncStatus()));

            List<Long> slots = new ArrayList<>();
            for (String start : List.of("09:00", "11:00", "13:00")) {
                long slot = createSlot(zara, DAY, start, start.replace(":00", ":30"), true);
                slots.add(slot);
                browser.waitFor(By.cssSelector(row(zaraId) + " .block[data-slot-id='" + slot + "']"));
            }

            // Leaving the page sends the batch (fetch keepalive); every 10 s or 20 changes would too.
            browser.open("/robots.txt");
            PrometheusScrape metrics = browser.waitUntil(WAIT, d -> {
                PrometheusScrape m = PrometheusScrape.parse(server.anonymous().get("/metrics").text());
                return m.sum("rcs_client_delivery_seconds_count", "page", "board") >= slots.size() ? m : null;
            });
            assertThat(metrics.sum("rcs_client_delivery_seconds_count", "page", "board")).isEqualTo(slots.size());
            assertThat(metrics.sum("rcs_client_reconnects_total", "page", "board")).isGreaterThanOrEqualTo(1);
            System.out.println("The board reported " + slots.size() + " changes shown, "
                    + metrics.sum("rcs_client_delivery_seconds_sum", "page", "board") + " s in all (browser clock against the test clock), "
                    + metrics.sum("rcs_client_reconnects_total", "page", "board") + " reconnects");
        }
    }

    /** What the board for {@code date} must show for one person: slot id → "version/available". */
    private static Map<String, String> boardTruth(ApiClient api, long staffId, String date, String previous) {
        JsonNode items = api.get("/api/availability?staffId=" + staffId + "&from=" + previous + "&to=" + date).json().get("items");
        Map<String, String> out = new TreeMap<>();
        for (JsonNode s : items) {
            boolean overnight = s.get("end").asText().compareTo(s.get("start").asText()) < 0;
            if (s.get("date").asText().equals(date) || overnight) {
                out.put(s.get("id").asText(), s.get("version").asText() + "/" + s.get("available").asBoolean());
            }
        }
        return out;
    }

    /** What the board shows for one person; a duplicated block makes the map differ (a "#2" key). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> shown(Browser browser, long staffId) {
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) browser.js(
                "return [...document.querySelectorAll(arguments[0] + ' .block')]"
                        + ".map(b => ({id: b.dataset.slotId, v: b.dataset.version + '/' + b.dataset.available}));",
                row(staffId));
        Map<String, String> out = new TreeMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Map<String, Object> b : blocks) {
            String id = (String) b.get("id");
            int n = seen.merge(id, 1, Integer::sum);
            out.put(n == 1 ? id : id + "#" + n, (String) b.get("v"));
        }
        return out;
    }
}
