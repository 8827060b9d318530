package com.royalcare.scheduler.availability;

import com.fasterxml.jackson.core.type.TypeReference;
import com.royalcare.scheduler.db.StoredText;
import com.royalcare.scheduler.db.Timestamps;
import com.royalcare.scheduler.web.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL for weekly schedules, the same on SQLite and PostgreSQL. The days are JSON text. */
public final class JdbcWeeklyScheduleRepository implements WeeklyScheduleRepository {

    private final Clock clock;

    /** @param clock the time stored as updated_at and applied_at */
    public JdbcWeeklyScheduleRepository(Clock clock) {
        this.clock = clock;
    }

    private static final TypeReference<Map<String, List<Map<String, String>>>> DAYS = new TypeReference<>() {
    };

    private static final RowMapper<WeeklySchedule> MAPPER = (rs, ctx) -> {
        long updatedBy = rs.getLong("updated_by");
        boolean noUpdater = rs.wasNull();
        return new WeeklySchedule(rs.getLong("staff_id"), readDays(rs.getString("days")), rs.getBoolean("auto_apply"),
                rs.getLong("version"), StoredText.instant(rs.getString("updated_at")), noUpdater ? null : updatedBy);
    };

    @Override
    public Optional<WeeklySchedule> find(Handle h, long staffId) {
        return h.createQuery("SELECT * FROM weekly_schedule WHERE staff_id = :staff").bind("staff", staffId).map(MAPPER).findOne();
    }

    @Override
    public WeeklySchedule save(Handle h, long staffId, WeekTemplate days, boolean autoApply, Long actorId) {
        String json = writeDays(days);
        String now = Timestamps.format(Timestamps.now(clock));
        int changed = h.createUpdate("UPDATE weekly_schedule SET days = :days, auto_apply = :auto, version = version + 1, "
                        + "updated_at = :now, updated_by = :actor WHERE staff_id = :staff")
                .bind("days", json).bind("auto", autoApply).bind("now", now).bind("actor", actorId).bind("staff", staffId)
                .execute();
        if (changed == 0) {
            h.createUpdate("INSERT INTO weekly_schedule (staff_id, days, auto_apply, version, updated_at, updated_by) "
                            + "VALUES (:staff, :days, :auto, 1, :now, :actor)")
                    .bind("days", json).bind("auto", autoApply).bind("now", now).bind("actor", actorId).bind("staff", staffId)
                    .execute();
        }
        return find(h, staffId).orElseThrow();
    }

    @Override
    public List<Long> autoApplyStaff(Handle h) {
        return h.createQuery("SELECT staff_id FROM weekly_schedule WHERE auto_apply = :yes ORDER BY staff_id")
                .bind("yes", true).mapTo(Long.class).list();
    }

    @Override
    public boolean claimDay(Handle h, long staffId, LocalDate date) {
        return h.createUpdate("INSERT INTO weekly_applied_days (staff_id, date, applied_at) VALUES (:staff, :date, :at) "
                        + "ON CONFLICT (staff_id, date) DO NOTHING")
                .bind("staff", staffId).bind("date", date.toString()).bind("at", Timestamps.format(Timestamps.now(clock)))
                .execute() == 1;
    }

    private static String writeDays(WeekTemplate t) {
        return Json.write(t.byKey());
    }

    private static WeekTemplate readDays(String json) {
        try {
            Map<String, List<Map<String, String>>> raw = Json.MAPPER.readValue(json, DAYS);
            Map<DayOfWeek, List<WeeklyWindow>> days = new EnumMap<>(DayOfWeek.class);
            raw.forEach((key, windows) -> {
                List<WeeklyWindow> ws = new ArrayList<>();
                for (Map<String, String> w : windows) ws.add(new WeeklyWindow(LocalTime.parse(w.get("start")), LocalTime.parse(w.get("end"))));
                days.put(WeekTemplate.parseKey(key).orElseThrow(), ws);
            });
            return new WeekTemplate(days);
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable weekly schedule " + json, e);
        }
    }
}
