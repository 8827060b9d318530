package com.royalcare.scheduler.availability;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Whether a set of intervals covers a wanted interval completely. Pure, no I/O. */
public final class Coverage {

    private Coverage() {
    }

    /** True when the union of {@code available} covers all of {@code wanted} and no {@code blocked} interval touches it. */
    public static boolean isFree(SlotTimes.Interval wanted, List<SlotTimes.Interval> available, List<SlotTimes.Interval> blocked) {
        if (blocked.stream().anyMatch(b -> b.overlaps(wanted))) return false;
        Instant reached = wanted.start();
        for (SlotTimes.Interval i : available.stream().sorted(Comparator.comparing(SlotTimes.Interval::start)).toList()) {
            if (i.start().isAfter(reached)) break;
            if (i.end().isAfter(reached)) reached = i.end();
            if (!reached.isBefore(wanted.end())) return true;
        }
        return !reached.isBefore(wanted.end());
    }
}
