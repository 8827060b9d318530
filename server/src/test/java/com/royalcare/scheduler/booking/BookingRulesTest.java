package com.royalcare.scheduler.booking;

import com.royalcare.scheduler.availability.Slot;
import com.royalcare.scheduler.availability.SlotTimes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The booking rules alone: no database, no clock. */
class BookingRulesTest {

    private static final ZoneId MANILA = ZoneId.of("Asia/Manila");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 7);
    private static final Duration BUFFER = Duration.ofMinutes(30);

    private static SlotTimes.Interval at(LocalDate date, String start, String end) {
        return new SlotTimes(date, LocalTime.parse(start), LocalTime.parse(end)).in(MANILA);
    }

    private static Slot slot(LocalDate date, String start, String end, boolean available) {
        Instant t = Instant.EPOCH;
        return new Slot(1, 1, date, LocalTime.parse(start), LocalTime.parse(end), available, null, 1, t, t, null);
    }

    private static BookingRules.Busy busy(long id, String start, String end) {
        return new BookingRules.Busy(id, at(DAY, start, end));
    }

    @Test
    void another_visit_ending_less_than_the_buffer_before_the_start_clashes() {
        assertThat(BookingRules.clash(at(DAY, "12:00", "13:00"), List.of(busy(7, "10:45", "11:45")), BUFFER))
                .map(BookingRules.Busy::appointmentId).contains(7L);
    }

    @Test
    void another_visit_starting_less_than_the_buffer_after_the_end_clashes() {
        assertThat(BookingRules.clash(at(DAY, "12:00", "13:00"), List.of(busy(8, "13:15", "14:00")), BUFFER))
                .map(BookingRules.Busy::appointmentId).contains(8L);
    }

    @Test
    void exactly_the_buffer_apart_either_way_is_fine() {
        List<BookingRules.Busy> around = List.of(busy(1, "10:00", "11:30"), busy(2, "13:30", "15:00"));
        assertThat(BookingRules.clash(at(DAY, "12:00", "13:00"), around, BUFFER)).isEmpty();
        assertThat(BookingRules.clash(at(DAY, "12:00", "13:01"), around, BUFFER)).map(BookingRules.Busy::appointmentId).contains(2L);
    }

    @Test
    void an_overlapping_visit_clashes_even_without_a_buffer() {
        assertThat(BookingRules.clash(at(DAY, "12:00", "13:00"), List.of(busy(3, "12:30", "12:45")), Duration.ZERO)).isPresent();
        assertThat(BookingRules.clash(at(DAY, "12:00", "13:00"), List.of(busy(3, "13:00", "14:00")), Duration.ZERO)).isEmpty();
    }

    @Test
    void an_overnight_visit_clashes_with_an_early_visit_the_next_morning() {
        SlotTimes.Interval late = at(DAY, "23:00", "00:30");
        BookingRules.Busy early = new BookingRules.Busy(9, at(DAY.plusDays(1), "00:45", "02:00"));
        assertThat(BookingRules.clash(late, List.of(early), BUFFER)).isPresent();
        assertThat(BookingRules.clash(late, List.of(early), Duration.ofMinutes(15))).isEmpty();
    }

    @Test
    void a_visit_is_covered_by_an_overnight_slot_from_the_day_before() {
        List<Slot> slots = List.of(slot(DAY.minusDays(1), "20:00", "04:00", true));
        assertThat(BookingRules.covered(at(DAY, "01:00", "02:30"), slots, MANILA)).isTrue();
        assertThat(BookingRules.covered(at(DAY, "03:00", "04:30"), slots, MANILA)).isFalse();
    }

    @Test
    void an_overnight_visit_is_covered_by_back_to_back_slots_across_midnight() {
        List<Slot> slots = List.of(slot(DAY, "18:00", "00:00", true), slot(DAY.plusDays(1), "00:00", "03:00", true));
        assertThat(BookingRules.covered(at(DAY, "23:00", "01:00"), slots, MANILA)).isTrue();
    }

    @Test
    void an_unavailable_block_inside_the_visit_forbids_it() {
        List<Slot> slots = List.of(slot(DAY, "09:00", "17:00", true), slot(DAY, "12:30", "12:45", false));
        assertThat(BookingRules.covered(at(DAY, "12:00", "13:00"), slots, MANILA)).isFalse();
        assertThat(BookingRules.covered(at(DAY, "13:00", "14:00"), slots, MANILA)).isTrue();
    }

    @Test
    void a_visit_running_past_the_slot_is_not_covered() {
        assertThat(BookingRules.covered(at(DAY, "16:30", "17:30"), List.of(slot(DAY, "09:00", "17:00", true)), MANILA)).isFalse();
        assertThat(BookingRules.covered(at(DAY, "16:00", "17:00"), List.of(slot(DAY, "09:00", "17:00", true)), MANILA)).isTrue();
    }

    @Test
    void the_default_end_adds_the_services_and_wraps_past_midnight() {
        assertThat(BookingRules.defaultEnd(LocalTime.of(10, 0), List.of(60, 90))).isEqualTo(LocalTime.of(12, 30));
        assertThat(BookingRules.defaultEnd(LocalTime.of(23, 30), List.of(60))).isEqualTo(LocalTime.of(0, 30));
        assertThatThrownBy(() -> BookingRules.defaultEnd(LocalTime.NOON, List.of(720, 720))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answers_decide_the_status() {
        var P = Appointment.Response.PENDING;
        var A = Appointment.Response.ACCEPTED;
        var R = Appointment.Response.REJECTED;
        assertThat(BookingRules.fromAnswers(List.of(A, P))).isEqualTo(Appointment.Status.PENDING);
        assertThat(BookingRules.fromAnswers(List.of(A, A))).isEqualTo(Appointment.Status.CONFIRMED);
        assertThat(BookingRules.fromAnswers(List.of(A, R))).isEqualTo(Appointment.Status.REJECTED);
    }

    @Test
    void a_pending_visit_is_overdue_once_the_window_has_passed_and_only_while_pending() {
        Instant since = Instant.parse("2026-12-07T02:00:00Z");
        Duration window = Duration.ofMinutes(30);
        assertThat(BookingRules.overdue(Appointment.Status.PENDING, since, since.plusSeconds(29 * 60), window)).isFalse();
        assertThat(BookingRules.overdue(Appointment.Status.PENDING, since, since.plusSeconds(30 * 60), window)).isTrue();
        assertThat(BookingRules.overdue(Appointment.Status.CONFIRMED, since, since.plusSeconds(3600), window)).isFalse();
    }

    @Test
    void money_is_exact_with_at_most_two_decimals() {
        assertThat(Money.of("1250.5").cents()).isEqualTo(125050);
        assertThat(Money.of("0.10").plus(Money.of("0.20"))).isEqualTo(Money.of("0.30"));
        assertThat(Money.of("19.99").amount().toPlainString()).isEqualTo("19.99");
        assertThatThrownBy(() -> Money.of("1.005")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Money.of("-1")).isInstanceOf(IllegalArgumentException.class);
    }
}
