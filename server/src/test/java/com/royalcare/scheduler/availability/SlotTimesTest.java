package com.royalcare.scheduler.availability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlotTimesTest {

    private static final ZoneId MANILA = ZoneId.of("Asia/Manila");
    private static final LocalDate DAY = LocalDate.of(2026, 12, 1);

    private static SlotTimes slot(LocalDate date, String start, String end) {
        return new SlotTimes(date, LocalTime.parse(start), LocalTime.parse(end));
    }

    @Test
    void back_to_back_slots_do_not_overlap() {
        assertThat(slot(DAY, "13:00", "14:00").in(MANILA).overlaps(slot(DAY, "14:00", "15:00").in(MANILA))).isFalse();
        assertThat(slot(DAY, "14:00", "15:00").in(MANILA).overlaps(slot(DAY, "13:00", "14:00").in(MANILA))).isFalse();
    }

    @Test
    void slots_sharing_a_minute_overlap() {
        assertThat(slot(DAY, "13:00", "14:01").in(MANILA).overlaps(slot(DAY, "14:00", "15:00").in(MANILA))).isTrue();
        assertThat(slot(DAY, "09:00", "17:00").in(MANILA).overlaps(slot(DAY, "10:00", "11:00").in(MANILA))).isTrue();
    }

    @Test
    void end_before_start_runs_past_midnight_and_belongs_to_its_start_date() {
        SlotTimes overnight = slot(DAY, "13:00", "01:00");
        assertThat(overnight.overnight()).isTrue();
        assertThat(overnight.date()).isEqualTo(DAY);
        assertThat(Duration.between(overnight.in(MANILA).start(), overnight.in(MANILA).end())).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void overnight_slot_blocks_early_slot_next_day() {
        SlotTimes lateShift = slot(DAY, "22:00", "02:00");
        SlotTimes earlyNextDay = slot(DAY.plusDays(1), "01:00", "03:00");
        assertThat(lateShift.in(MANILA).overlaps(earlyNextDay.in(MANILA))).isTrue();
    }

    @Test
    void overnight_slot_ending_at_two_leaves_the_rest_of_next_morning_free() {
        assertThat(slot(DAY, "22:00", "02:00").in(MANILA).overlaps(slot(DAY.plusDays(1), "02:00", "06:00").in(MANILA))).isFalse();
    }

    @Test
    void equal_start_and_end_is_rejected() {
        assertThatThrownBy(() -> slot(DAY, "10:00", "10:00")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void daylight_saving_spring_forward_night_is_an_hour_shorter_in_real_time() {
        ZoneId newYork = ZoneId.of("America/New_York");
        LocalDate springForward = LocalDate.of(2026, 3, 8); // clocks go 02:00 -> 03:00 in the early hours of the 8th
        SlotTimes night = slot(springForward.minusDays(1), "22:00", "06:00");
        assertThat(Duration.between(night.in(newYork).start(), night.in(newYork).end())).isEqualTo(Duration.ofHours(7));
        // The same wall-clock slot in Manila (no DST) is 8 hours.
        assertThat(Duration.between(night.in(MANILA).start(), night.in(MANILA).end())).isEqualTo(Duration.ofHours(8));
    }

    @Test
    void daylight_saving_fall_back_night_is_an_hour_longer_and_still_blocks_next_morning() {
        ZoneId newYork = ZoneId.of("America/New_York");
        LocalDate fallBack = LocalDate.of(2026, 11, 1);
        SlotTimes night = slot(fallBack.minusDays(1), "22:00", "06:00");
        assertThat(Duration.between(night.in(newYork).start(), night.in(newYork).end())).isEqualTo(Duration.ofHours(9));
        assertThat(night.in(newYork).overlaps(slot(fallBack, "05:30", "07:00").in(newYork))).isTrue();
        assertThat(night.in(newYork).overlaps(slot(fallBack, "06:00", "07:00").in(newYork))).isFalse();
    }

    @Test
    void coverage_joins_adjacent_available_slots() {
        var wanted = slot(DAY, "13:00", "15:00").in(MANILA);
        var parts = List.of(slot(DAY, "13:00", "14:00").in(MANILA), slot(DAY, "14:00", "15:00").in(MANILA));
        assertThat(Coverage.isFree(wanted, parts, List.of())).isTrue();
    }

    @Test
    void coverage_fails_on_a_hole_or_an_unavailable_block() {
        var wanted = slot(DAY, "13:00", "16:00").in(MANILA);
        var withHole = List.of(slot(DAY, "13:00", "14:00").in(MANILA), slot(DAY, "14:30", "16:00").in(MANILA));
        assertThat(Coverage.isFree(wanted, withHole, List.of())).isFalse();
        var whole = List.of(slot(DAY, "12:00", "17:00").in(MANILA));
        assertThat(Coverage.isFree(wanted, whole, List.of())).isTrue();
        assertThat(Coverage.isFree(wanted, whole, List.of(slot(DAY, "15:00", "15:30").in(MANILA)))).isFalse();
    }

    @Test
    void coverage_counts_the_previous_days_overnight_slot() {
        var wanted = slot(DAY.plusDays(1), "00:00", "01:00").in(MANILA);
        assertThat(Coverage.isFree(wanted, List.of(slot(DAY, "20:00", "02:00").in(MANILA)), List.of())).isTrue();
    }
}
