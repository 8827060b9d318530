package com.royalcare.scheduler.availability;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A therapist's or driver's usual week as stored. {@code version} is 0 while none was saved
 * (the empty week), then 1, 2, … with each save.
 */
public record WeeklySchedule(long staffId, WeekTemplate template, boolean autoApply, long version,
                             Instant updatedAt, Long updatedBy) {

    public WeeklySchedule {
        Objects.requireNonNull(template, "template");
    }

    static WeeklySchedule none(long staffId) {
        return new WeeklySchedule(staffId, WeekTemplate.EMPTY, false, 0, null, null);
    }

    /** The API shape: {"staffId","days":{"mon":[{"start","end"}],…},"autoApply","version","updatedAt","updatedBy"}. */
    public Map<String, Object> view() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("staffId", staffId);
        out.put("days", template.byKey());
        out.put("autoApply", autoApply);
        out.put("version", version);
        out.put("updatedAt", updatedAt);
        out.put("updatedBy", updatedBy);
        return out;
    }
}
