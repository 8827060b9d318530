package com.royalcare.scheduler.availability;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The windows of a usual week, Monday to Sunday, and its rules. Pure: no I/O, no clock.
 *
 * <p>Overlap is judged on the week as a circle of wall-clock minutes: a Friday 22:00–02:00 window
 * occupies Saturday's first two hours, and a Sunday 22:00–02:00 window Monday's. Expansion into
 * dates goes one calendar date at a time in the business zone ({@link SlotTimes#in}), never by
 * adding 24 hours, so a daylight-saving change day gets its own real length.
 */
public record WeekTemplate(Map<DayOfWeek, List<WeeklyWindow>> days) {

    private static final int DAY_MINUTES = 24 * 60;
    private static final int WEEK_MINUTES = 7 * DAY_MINUTES;

    public WeekTemplate {
        EnumMap<DayOfWeek, List<WeeklyWindow>> copy = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            List<WeeklyWindow> windows = days == null ? null : days.get(d);
            List<WeeklyWindow> sorted = new ArrayList<>(windows == null ? List.of() : windows);
            sorted.sort((a, b) -> a.start().compareTo(b.start()));
            copy.put(d, List.copyOf(sorted));
        }
        days = Collections.unmodifiableMap(copy);
    }

    public static final WeekTemplate EMPTY = new WeekTemplate(Map.of());

    /** A window placed on a weekday, for naming it in errors and skip reports. */
    public record Placed(DayOfWeek day, WeeklyWindow window) {
        @Override
        public String toString() {
            return key(day) + " " + window;
        }
    }

    /** Two windows that would overlap in real time. */
    public record Overlap(Placed first, Placed second) {
        public String describe() {
            return first + " overlaps " + second;
        }
    }

    /** The API's day keys: mon, tue, … sun. */
    public static String key(DayOfWeek d) {
        return d.getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH).toLowerCase(Locale.ROOT);
    }

    public static Optional<DayOfWeek> parseKey(String key) {
        for (DayOfWeek d : DayOfWeek.values()) if (key(d).equals(key)) return Optional.of(d);
        return Optional.empty();
    }

    /** Every pair of windows that would overlap, within a day, into the next day, and from Sunday into Monday. */
    public List<Overlap> overlaps() {
        List<Placed> all = new ArrayList<>();
        days.forEach((d, ws) -> ws.forEach(w -> all.add(new Placed(d, w))));
        List<Overlap> found = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                if (overlap(minutes(all.get(i)), minutes(all.get(j)))) found.add(new Overlap(all.get(i), all.get(j)));
            }
        }
        return found;
    }

    /** [start, end) in minutes from Monday 00:00; the end may pass the end of the week (Sunday overnight). */
    private static int[] minutes(Placed p) {
        int base = (p.day().getValue() - 1) * DAY_MINUTES;
        int start = base + p.window().start().getHour() * 60 + p.window().start().getMinute();
        int end = base + p.window().end().getHour() * 60 + p.window().end().getMinute() + (p.window().overnight() ? DAY_MINUTES : 0);
        return new int[] {start, end};
    }

    /** Half-open intervals on a circle of one week: compare as they are and shifted by a week either way. */
    private static boolean overlap(int[] a, int[] b) {
        for (int shift : new int[] {-WEEK_MINUTES, 0, WEEK_MINUTES}) {
            if (a[0] < b[1] + shift && b[0] + shift < a[1]) return true;
        }
        return false;
    }

    public List<WeeklyWindow> on(DayOfWeek d) {
        return days.get(d);
    }

    public boolean isEmpty() {
        return days.values().stream().allMatch(List::isEmpty);
    }

    /** One slot-to-be of an expansion: its local times on a date, and its real interval (empty when it does not exist that day). */
    public record Occurrence(SlotTimes times, Optional<SlotTimes.Interval> interval) {
    }

    /**
     * The windows of every date in [from, to], date by date (each date's own day of the week and
     * its own offsets in {@code zone}). A window whose wall-clock times do not exist on a
     * daylight-saving change day (02:30–03:00 when clocks jump from 02:00 to 03:00: 02:30 moves past the gap
     * to 03:30, after the end) has no interval; other times in the gap move forward by its length, as the zone's rules say.
     */
    public List<Occurrence> expand(LocalDate from, LocalDate to, ZoneId zone) {
        List<Occurrence> out = new ArrayList<>();
        for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
            for (WeeklyWindow w : days.get(date.getDayOfWeek())) {
                SlotTimes times = new SlotTimes(date, w.start(), w.end());
                out.add(new Occurrence(times, times.realInterval(zone)));
            }
        }
        return out;
    }

    /** The JSON shape {"mon":[…],…,"sun":[…]} in weekday order. */
    public Map<String, List<WeeklyWindow>> byKey() {
        Map<String, List<WeeklyWindow>> out = new LinkedHashMap<>();
        days.forEach((d, ws) -> out.put(key(d), ws));
        return out;
    }
}
