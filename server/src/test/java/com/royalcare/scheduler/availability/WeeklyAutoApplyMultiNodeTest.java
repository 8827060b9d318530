package com.royalcare.scheduler.availability;

import com.fasterxml.jackson.databind.JsonNode;
import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.MovableClock;
import com.royalcare.scheduler.support.TestServer;
import com.royalcare.scheduler.sync.Change;
import com.royalcare.testkit.Postgres;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static com.royalcare.scheduler.availability.WeeklyScheduleApiContract.week;
import static com.royalcare.scheduler.availability.WeeklyScheduleApiContract.win;
import static org.assertj.core.api.Assertions.assertThat;

/** autoApply with two server nodes on one PostgreSQL database ends as with one node. */
class WeeklyAutoApplyMultiNodeTest {

    private static final ZoneId MANILA = ZoneId.of("Asia/Manila");

    @Test
    void two_nodes_applying_after_midnight_together_create_each_slot_once_and_never_refill_a_claimed_day() throws Exception {
        String url = Postgres.newDatabase();
        MovableClock clock = new MovableClock();
        try (TestServer a = TestServer.start(Postgres.env(url), clock); TestServer b = TestServer.start(Postgres.env(url), clock)) {
            ApiClient t = a.newStaff("auto-anna", "therapist");
            long me = t.me();
            Map<String, Object> everyDay = week(true, "mon", List.of(win("23:00", "23:30")), "tue", List.of(win("23:00", "23:30")),
                    "wed", List.of(win("23:00", "23:30")), "thu", List.of(win("23:00", "23:30")), "fri", List.of(win("23:00", "23:30")),
                    "sat", List.of(win("23:00", "23:30")), "sun", List.of(win("23:00", "23:30")));
            // Saving with autoApply on fills the horizon (4 weeks from today) in the same transaction.
            assertThat(t.put("/api/staff/" + me + "/weekly-schedule", everyDay, null).status()).isEqualTo(200);
            LocalDate today = LocalDate.now(clock.withZone(MANILA));
            int filledNow = slots(t, today, today.plusDays(40)).size();
            boolean todayOver = !Instant.now().isBefore(today.atTime(23, 30).atZone(MANILA).toInstant());
            assertThat(filledNow).isEqualTo(todayOver ? 27 : 28);

            // A week passes; both nodes wake after midnight at the same moment.
            clock.advance(Duration.ofDays(7));
            t = ApiClient.signIn(a.baseUrl(), "auto-anna", ApiClient.passwordOf("auto-anna")); // sessions follow the clock: 12 h are over
            long before = head(a);
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<Integer> onA = CompletableFuture.supplyAsync(() -> runAfter(together, a));
            CompletableFuture<Integer> onB = CompletableFuture.supplyAsync(() -> runAfter(together, b));
            int created = onA.get(60, TimeUnit.SECONDS) + onB.get(60, TimeUnit.SECONDS);
            assertThat(created).as("the 7 days that came into the horizon, once").isEqualTo(7);

            List<JsonNode> all = slots(t, today, today.plusDays(60));
            assertThat(all).hasSize(filledNow + 7);
            Set<String> dates = new HashSet<>();
            for (JsonNode s : all) assertThat(dates.add(s.get("date").asText())).as("one slot per date").isTrue();
            List<Change> logged = changes(a, before);
            assertThat(logged).extracting(Change::type).containsOnly(AvailabilityService.CREATED).hasSize(7);

            // A day someone cleared stays cleared: a restart (a third node's startup run) refills nothing.
            long cleared = all.get(all.size() - 1).get("id").asLong();
            assertThat(t.delete("/api/availability/" + cleared, null).status()).isEqualTo(204);
            try (TestServer c = TestServer.start(Postgres.env(url), clock)) {
                assertThat(c.app().services().autoApply().runNow()).isZero();
            }
            assertThat(a.app().services().autoApply().runNow()).isZero();
            assertThat(slots(t, today, today.plusDays(60))).hasSize(filledNow + 6);
        }
    }

    private static int runAfter(CyclicBarrier barrier, TestServer node) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return node.app().services().autoApply().runNow();
    }

    private static List<JsonNode> slots(ApiClient t, LocalDate from, LocalDate to) {
        List<JsonNode> out = new ArrayList<>();
        t.get("/api/availability?from=" + from + "&to=" + to).json().get("items").forEach(out::add);
        return out;
    }

    private static long head(TestServer s) {
        var x = s.app().services();
        return x.db().read(h -> x.changeLog().head(h));
    }

    private static List<Change> changes(TestServer s, long after) {
        var x = s.app().services();
        return x.db().read(h -> x.changeLog().readAfter(h, after, 10_000));
    }
}
