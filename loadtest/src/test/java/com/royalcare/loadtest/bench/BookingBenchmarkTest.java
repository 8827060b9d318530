package com.royalcare.loadtest.bench;

import com.royalcare.scheduler.App;
import com.royalcare.scheduler.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The booking benchmark in short form (4 operators, a day of 40 visits) against a real server on
 * port 0, and its double-booking check on its own. The full run is {@code bench/bookings.sh}.
 */
class BookingBenchmarkTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 1);

    @TempDir
    Path data;

    @Test
    void short_run_books_every_planned_visit_one_winner_per_contested_visit_and_no_double_booking() throws Exception {
        String password = "bench-test-password";
        Config config = Config.fromMap(Map.of("PORT", "0", "DATA_DIR", data.toString(), "INITIAL_OPERATOR_PASSWORD", password,
                "PASSWORD_COST", "4", "DEMO_DATA", "false"));
        try (App app = App.build(config, Clock.systemUTC())) {
            app.seed();
            app.start();
            BookingBenchmark.Options o = new BookingBenchmark.Options(4, 8, 2, 3, 40, 20, 5, 30);

            BookingBenchmark.Report r = BookingBenchmark.run("http://127.0.0.1:" + app.port(), password, o, -1);
            System.out.print(r.format());

            assertThat(r.passed()).as(r.format()).isTrue();
            assertThat(r.measured().ok).isEqualTo(4 * 8 + 4 * 2);
            assertThat(r.measured().staffBooked).as("every contested visit has one loser").isEqualTo(4 * 2);
            assertThat(r.measured().other).isZero();
            assertThat(r.measured().all.getTotalCount()).isEqualTo(4 * 8 + 2 * 4 * 2);
            assertThat(r.cellsWithOneWinner()).isEqualTo(8);
            assertThat(r.listed()).isEqualTo(4 * 3 + r.measured().ok);
            assertThat(r.clashes()).isEmpty();
            assertThat(r.dayListed()).isEqualTo(40);
            assertThat(r.dayClashes()).isEmpty();
            assertThat(r.reads()).hasSize(6).allSatisfy(read -> assertThat(read.failures()).isZero());
            assertThat(r.reads().get(0).items()).isEqualTo(40);
            assertThat(r.markdown()).contains("| 4 | 48 |", "`GET /api/appointments?date=" + r.dayDate() + "`");
        }
    }

    @Test
    void every_contested_visit_is_tried_by_two_operators_and_own_visits_never_meet() {
        BookingBenchmark.Options o = new BookingBenchmark.Options(3, 12, 4, 5, 40, 20, 5, 30);
        Map<Integer, Integer> tries = new java.util.HashMap<>();
        Set<String> own = new HashSet<>();
        for (int op = 0; op < 3; op++) {
            List<BookingBenchmark.Attempt> plan = BookingBenchmark.measuredPlan(o, op, DAY);
            assertThat(plan).hasSize(12 + 2 * 4);
            for (BookingBenchmark.Attempt a : plan) {
                if (a.cell() >= 0) tries.merge(a.cell(), 1, Integer::sum);
                else assertThat(own.add(a.therapist() + " " + a.date() + " " + a.start())).isTrue();
            }
        }
        assertThat(tries).hasSize(3 * 4).allSatisfy((cell, n) -> assertThat(n).isEqualTo(2));
    }

    @Test
    void double_booking_check_finds_visits_closer_than_the_buffer_also_past_midnight() {
        Duration buffer = Duration.ofMinutes(30);
        BookingBenchmark.Visit nine = visit(1, 7, "09:00", "10:00", "pending");
        // exactly the buffer apart is fine; closer is a double booking; another person or a cancelled visit is not
        assertThat(BookingBenchmark.doubleBookings(List.of(nine, visit(2, 7, "10:30", "11:30", "confirmed")), buffer)).isEmpty();
        assertThat(BookingBenchmark.doubleBookings(List.of(nine, visit(2, 7, "10:15", "11:15", "confirmed")), buffer))
                .containsExactly(new BookingBenchmark.Clash(7, 1, 2));
        assertThat(BookingBenchmark.doubleBookings(List.of(nine, visit(2, 8, "09:00", "10:00", "pending")), buffer)).isEmpty();
        assertThat(BookingBenchmark.doubleBookings(List.of(nine, visit(2, 7, "09:30", "10:30", "cancelled")), buffer)).isEmpty();
        BookingBenchmark.Visit late = new BookingBenchmark.Visit(3, List.of(7L), LocalDateTime.of(DAY, java.time.LocalTime.of(23, 0)),
                LocalDateTime.of(DAY.plusDays(1), java.time.LocalTime.of(0, 30)), "in_progress");
        BookingBenchmark.Visit early = new BookingBenchmark.Visit(4, List.of(7L), LocalDateTime.of(DAY.plusDays(1), java.time.LocalTime.of(0, 45)),
                LocalDateTime.of(DAY.plusDays(1), java.time.LocalTime.of(1, 45)), "pending");
        assertThat(BookingBenchmark.doubleBookings(List.of(early, late), buffer)).containsExactly(new BookingBenchmark.Clash(7, 3, 4));
    }

    private static BookingBenchmark.Visit visit(long id, long staff, String start, String end, String status) {
        return new BookingBenchmark.Visit(id, List.of(staff), DAY.atTime(java.time.LocalTime.parse(start)),
                DAY.atTime(java.time.LocalTime.parse(end)), status);
    }
}
