package com.royalcare.scheduler.availability;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestClocks;
import com.royalcare.testkit.Postgres;
import com.royalcare.scheduler.support.TestServer;
import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Parallel requests that would create overlapping slots: exactly one wins, on either database. */
class OverlapRaceTest {

    private static final int PARALLEL = 16;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void parallel_overlapping_creates_exactly_one_succeeds(String database) throws Exception {
        Map<String, String> env = database.equals("postgresql") ? Postgres.newDatabaseEnv() : Map.of();
        try (TestServer server = TestServer.start(env, TestClocks.startingAt(LocalDate.of(2026, 11, 1)))) {
            ApiClient therapist = server.newStaff("racer", "therapist");
            for (int round = 0; round < 5; round++) {
                String date = "2026-12-0" + (round + 1);
                List<Integer> statuses = race(therapist, date);
                assertThat(statuses).filteredOn(s -> s == 201).as("round %d: %s", round, statuses).hasSize(1);
                assertThat(statuses).filteredOn(s -> s == 409).hasSize(PARALLEL - 1);
                assertThat(therapist.get("/api/availability?date=" + date).json().get("items")).hasSize(1);
            }
        }
    }

    /** Every request's interval contains 10:15–12:00, so any two of them overlap. */
    private static List<Integer> race(ApiClient client, String date) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                LocalTime start = LocalTime.of(9, 0).plusMinutes(5L * i);
                futures.add(pool.submit(() -> {
                    go.await();
                    return client.post("/api/availability", Map.of("date", date, "start", start.toString(),
                            "end", start.plusHours(3).toString())).status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) statuses.add(f.get());
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
