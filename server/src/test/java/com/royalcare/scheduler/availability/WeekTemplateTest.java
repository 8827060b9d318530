package com.royalcare.scheduler.availability;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.TUESDAY;
import static org.assertj.core.api.Assertions.assertThat;

/** The usual-week rules: real-time overlap around the week, and date-by-date expansion in a zone. */
class WeekTemplateTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId MANILA = ZoneId.of("Asia/Manila");

    private static WeeklyWindow w(String start, String end) {
        return new WeeklyWindow(LocalTime.parse(start), LocalTime.parse(end));
    }

    private static WeekTemplate week(Object... dayThenWindows) {
        Map<DayOfWeek, List<WeeklyWindow>> days = new EnumMap<>(DayOfWeek.class);
        for (int i = 0; i < dayThenWindows.length; i += 2) {
            @SuppressWarnings("unchecked") List<WeeklyWindow> ws = (List<WeeklyWindow>) dayThenWindows[i + 1];
            days.put((DayOfWeek) dayThenWindows[i], ws);
        }
        return new WeekTemplate(days);
    }

    @Test
    void back_to_back_windows_and_separate_days_do_not_overlap() {
        WeekTemplate t = week(MONDAY, List.of(w("09:00", "13:00"), w("13:00", "17:00")), TUESDAY, List.of(w("09:00", "17:00")));
        assertThat(t.overlaps()).isEmpty();
    }

    @Test
    void windows_sharing_time_on_one_day_overlap_and_are_named() {
        WeekTemplate t = week(MONDAY, List.of(w("09:00", "13:00"), w("12:00", "15:00")));
        assertThat(t.overlaps()).extracting(WeekTemplate.Overlap::describe)
                .containsExactly("mon 09:00–13:00 overlaps mon 12:00–15:00");
    }

    @Test
    void overnight_window_overlaps_the_next_weekdays_early_window() {
        WeekTemplate t = week(FRIDAY, List.of(w("22:00", "02:00")), SATURDAY, List.of(w("01:00", "03:00")));
        assertThat(t.overlaps()).extracting(WeekTemplate.Overlap::describe)
                .containsExactly("fri 22:00–02:00 overlaps sat 01:00–03:00");
        // ending exactly when the next one starts is fine
        assertThat(week(FRIDAY, List.of(w("22:00", "02:00")), SATURDAY, List.of(w("02:00", "03:00"))).overlaps()).isEmpty();
    }

    @Test
    void sunday_overnight_runs_into_monday_of_the_next_week() {
        WeekTemplate t = week(SUNDAY, List.of(w("22:00", "02:00")), MONDAY, List.of(w("01:00", "03:00")));
        assertThat(t.overlaps()).extracting(WeekTemplate.Overlap::describe)
                .containsExactly("mon 01:00–03:00 overlaps sun 22:00–02:00");
        assertThat(week(SUNDAY, List.of(w("22:00", "02:00")), MONDAY, List.of(w("02:00", "03:00"))).overlaps()).isEmpty();
    }

    @Test
    void a_window_in_monday_evening_does_not_clash_with_sunday_overnight() {
        assertThat(week(SUNDAY, List.of(w("13:00", "01:00")), MONDAY, List.of(w("13:00", "01:00"))).overlaps()).isEmpty();
    }

    @Test
    void expansion_gives_each_date_its_weekday_windows() {
        WeekTemplate t = week(MONDAY, List.of(w("13:00", "01:00")), TUESDAY, List.of(w("09:00", "12:00"), w("14:00", "16:00")));
        // 2026-12-07 is a Monday
        List<WeekTemplate.Occurrence> got = t.expand(LocalDate.of(2026, 12, 6), LocalDate.of(2026, 12, 14), MANILA);
        assertThat(got).extracting(o -> o.times().date() + " " + o.times().start() + "-" + o.times().end())
                .containsExactly("2026-12-07 13:00-01:00", "2026-12-08 09:00-12:00", "2026-12-08 14:00-16:00",
                        "2026-12-14 13:00-01:00");
        assertThat(Duration.between(got.get(0).interval().orElseThrow().start(), got.get(0).interval().orElseThrow().end()))
                .isEqualTo(Duration.ofHours(12));
    }

    @Test
    void expansion_over_the_spring_forward_day_keeps_wall_clock_times_not_24_hour_steps() {
        // Europe/Berlin: 2026-03-29 (a Sunday) 02:00 CET becomes 03:00 CEST.
        WeeklyWindow nine = w("09:00", "17:00");
        WeekTemplate t = week(SATURDAY, List.of(nine), SUNDAY, List.of(nine, w("22:00", "06:00")), MONDAY, List.of(nine));
        List<WeekTemplate.Occurrence> got = t.expand(LocalDate.of(2026, 3, 28), LocalDate.of(2026, 3, 30), BERLIN);
        assertThat(got).extracting(o -> o.interval().orElseThrow().start()).containsExactly(
                Instant.parse("2026-03-28T08:00:00Z"),   // 09:00 CET
                Instant.parse("2026-03-29T07:00:00Z"),   // 09:00 CEST: 23 hours after Saturday's, not 24
                Instant.parse("2026-03-29T20:00:00Z"),   // Sunday 22:00 CEST
                Instant.parse("2026-03-30T07:00:00Z"));
        // The overnight window that starts after the change has 8 real hours; one across the change would have 7.
        assertThat(length(got.get(2))).isEqualTo(Duration.ofHours(8));
        WeekTemplate acrossChange = week(SATURDAY, List.of(w("22:00", "06:00")));
        assertThat(length(acrossChange.expand(LocalDate.of(2026, 3, 28), LocalDate.of(2026, 3, 28), BERLIN).get(0)))
                .isEqualTo(Duration.ofHours(7));
    }

    @Test
    void expansion_over_the_fall_back_day_gives_the_longer_night() {
        // Europe/Berlin: 2026-10-25 (a Sunday) 03:00 CEST becomes 02:00 CET.
        WeekTemplate t = week(SATURDAY, List.of(w("22:00", "06:00")), SUNDAY, List.of(w("09:00", "17:00")));
        List<WeekTemplate.Occurrence> got = t.expand(LocalDate.of(2026, 10, 24), LocalDate.of(2026, 10, 25), BERLIN);
        assertThat(length(got.get(0))).isEqualTo(Duration.ofHours(9));
        assertThat(got.get(1).interval().orElseThrow().start()).isEqualTo(Instant.parse("2026-10-25T08:00:00Z")); // 09:00 CET
    }

    @Test
    void a_window_inside_the_skipped_hour_does_not_exist_that_day() {
        // 02:30 does not exist on 2026-03-29; the zone moves it past the gap to 03:30, after the 03:00 end.
        WeekTemplate t = week(SUNDAY, List.of(w("02:30", "03:00")));
        List<WeekTemplate.Occurrence> got = t.expand(LocalDate.of(2026, 3, 22), LocalDate.of(2026, 3, 29), BERLIN);
        assertThat(got).hasSize(2);
        assertThat(got.get(0).interval()).isPresent();   // 2026-03-22, an ordinary Sunday
        assertThat(got.get(1).interval()).isEmpty();     // 2026-03-29, clocks jump from 02:00 to 03:00
    }

    @Test
    void days_keys_are_mon_to_sun_in_order() {
        assertThat(WeekTemplate.EMPTY.byKey().keySet()).containsExactly("mon", "tue", "wed", "thu", "fri", "sat", "sun");
        assertThat(WeekTemplate.parseKey("sun")).contains(SUNDAY);
        assertThat(WeekTemplate.parseKey("Sunday")).isEmpty();
    }

    private static Duration length(WeekTemplate.Occurrence o) {
        SlotTimes.Interval i = o.interval().orElseThrow();
        return Duration.between(i.start(), i.end());
    }
}
