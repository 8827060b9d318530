package com.royalcare.scheduler.booking;

import com.royalcare.testkit.ApiClient;
import com.royalcare.scheduler.support.TestServer;
import com.royalcare.testkit.Postgres;
import org.junit.jupiter.api.Test;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 50 operators book overlapping visits at the same instant: exactly one wins, 49 get STAFF_BOOKED, on SQLite
 * and on two server nodes sharing one PostgreSQL — for one therapist, and for two therapists sharing one driver.
 */
class DoubleBookingRaceTest {

    private static final int PARALLEL = 50;
    private static final String DATE = "2027-03-01";

    @Test
    void one_therapist_on_sqlite() throws Exception {
        try (TestServer server = TestServer.start()) {
            oneTherapist(List.of(server));
        }
    }

    @Test
    void one_therapist_on_two_postgresql_nodes() throws Exception {
        String url = Postgres.newDatabase();
        try (TestServer a = TestServer.start(Postgres.env(url)); TestServer b = TestServer.start(Postgres.env(url))) {
            oneTherapist(List.of(a, b));
        }
    }

    @Test
    void two_therapists_sharing_a_driver_on_sqlite() throws Exception {
        try (TestServer server = TestServer.start()) {
            sharedDriver(List.of(server));
        }
    }

    @Test
    void two_therapists_sharing_a_driver_on_two_postgresql_nodes() throws Exception {
        String url = Postgres.newDatabase();
        try (TestServer a = TestServer.start(Postgres.env(url)); TestServer b = TestServer.start(Postgres.env(url))) {
            sharedDriver(List.of(a, b));
        }
    }

    private static void oneTherapist(List<TestServer> nodes) throws Exception {
        ApiClient op = nodes.get(0).operator();
        long therapist = op.createStaff("race-anna", "therapist");
        long service = BookingFixture.service(op, 60, "800");
        long client = BookingFixture.client(op);
        BookingFixture.slot(op, therapist, DATE, "06:00", "20:00");
        List<ApiClient> operators = nodes.stream().map(TestServer::operator).toList();
        // every start lies within 10:00-10:49, so any two of the visits overlap
        List<ApiClient.Response> got = race(i -> BookingFixture.book(operators.get(i % operators.size()), client, service, therapist,
                DATE, LocalTime.of(10, 0).plusMinutes(i).toString()));
        assertOneWinner(got);
        assertThat(op.get("/api/appointments?date=" + DATE + "&staffId=" + therapist).json().get("items")).hasSize(1);
    }

    private static void sharedDriver(List<TestServer> nodes) throws Exception {
        ApiClient op = nodes.get(0).operator();
        long anna = op.createStaff("race-t1", "therapist");
        long bea = op.createStaff("race-t2", "therapist");
        long dan = op.createStaff("race-driver", "driver");
        long service = BookingFixture.service(op, 60, "800");
        long client = BookingFixture.client(op);
        for (long s : List.of(anna, bea, dan)) BookingFixture.slot(op, s, DATE, "06:00", "20:00");
        List<ApiClient> operators = nodes.stream().map(TestServer::operator).toList();
        List<ApiClient.Response> got = race(i -> BookingFixture.book(operators.get(i % operators.size()), client, service,
                List.of(i % 2 == 0 ? anna : bea), dan, DATE, LocalTime.of(10, 0).plusMinutes(i).toString(), Map.of()));
        assertOneWinner(got);
        assertThat(op.get("/api/appointments?date=" + DATE + "&staffId=" + dan).json().get("items")).hasSize(1);
    }

    private static void assertOneWinner(List<ApiClient.Response> got) {
        List<Integer> statuses = got.stream().map(ApiClient.Response::status).toList();
        assertThat(statuses).as(statuses.toString()).filteredOn(s -> s == 201).hasSize(1);
        assertThat(got).filteredOn(r -> r.status() == 409).extracting(ApiClient.Response::errorCode)
                .hasSize(PARALLEL - 1).containsOnly("STAFF_BOOKED");
        long winner = got.stream().filter(r -> r.status() == 201).findFirst().orElseThrow().id();
        assertThat(got).filteredOn(r -> r.status() == 409).allMatch(r -> r.json().at("/error/appointmentId").asLong() == winner);
    }

    private static List<ApiClient.Response> race(IntFunction<ApiClient.Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<ApiClient.Response>> futures = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return request.apply(n);
                }));
            }
            go.countDown();
            List<ApiClient.Response> out = new ArrayList<>();
            for (Future<ApiClient.Response> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
