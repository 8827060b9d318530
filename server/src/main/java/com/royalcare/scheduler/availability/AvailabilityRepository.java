package com.royalcare.scheduler.availability;

import com.royalcare.scheduler.db.Conditions;
import com.royalcare.scheduler.db.StoredText;
import com.royalcare.scheduler.db.Timestamps;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;

/** SQL for availability slots (SQLite and PostgreSQL alike). Callers own the transaction. */
public final class AvailabilityRepository {

    private static final RowMapper<Slot> MAPPER = (rs, ctx) -> {
        long updatedBy = rs.getLong("updated_by");
        boolean noUpdater = rs.wasNull();
        return new Slot(rs.getLong("id"), rs.getLong("staff_id"), StoredText.date(rs.getString("date")),
                StoredText.time(rs.getString("start_time")), StoredText.time(rs.getString("end_time")),
                rs.getBoolean("available"), rs.getString("note"), rs.getLong("version"),
                StoredText.instant(rs.getString("created_at")), StoredText.instant(rs.getString("updated_at")),
                noUpdater ? null : updatedBy);
    };

    /** What a list may be narrowed by; null means "any". Dates are the slots' own (start) dates, inclusive. */
    public record Query(Long staffId, LocalDate from, LocalDate to) {
    }

    private final Clock clock;

    /** @param clock stamps created_at / updated_at */
    public AvailabilityRepository(Clock clock) {
        this.clock = clock;
    }

    public Optional<Slot> find(Handle h, long id) {
        return h.createQuery("SELECT * FROM availability WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    public List<Slot> list(Handle h, Query q) {
        Conditions where = new Conditions()
                .andIf(q.staffId(), "staff_id = :staff", "staff")
                .andIf(q.from() == null ? null : q.from().toString(), "date >= :from", "from")
                .andIf(q.to() == null ? null : q.to().toString(), "date <= :to", "to");
        return where.bind(h.createQuery("SELECT * FROM availability" + where.where() + " ORDER BY date, start_time, staff_id, id"))
                .map(MAPPER).list();
    }

    /** Slots of one staff member whose own date lies in [from, to]. */
    public List<Slot> forStaffBetween(Handle h, long staffId, LocalDate from, LocalDate to) {
        return list(h, new Query(staffId, from, to));
    }

    public Slot insert(Handle h, long staffId, SlotDraft d, Long actorId) {
        String now = Timestamps.format(Timestamps.now(clock));
        // RETURNING *: the stored row, defaults and all, without reading it back
        return h.createQuery("INSERT INTO availability (staff_id, date, start_time, end_time, available, note, version, "
                        + "created_at, updated_at, updated_by) VALUES (:staff, :date, :start, :end, :available, :note, 1, "
                        + ":now, :now, :actor) RETURNING *")
                .bind("staff", staffId).bind("date", d.times().date().toString())
                .bind("start", d.times().start().toString()).bind("end", d.times().end().toString())
                .bind("available", d.available()).bind("note", d.note()).bind("now", now).bind("actor", actorId)
                .map(MAPPER).one();
    }

    public Slot update(Handle h, long id, SlotDraft d, long actorId) {
        return h.createQuery("UPDATE availability SET date = :date, start_time = :start, end_time = :end, available = :available, "
                        + "note = :note, version = version + 1, updated_at = :now, updated_by = :actor WHERE id = :id RETURNING *")
                .bind("date", d.times().date().toString()).bind("start", d.times().start().toString())
                .bind("end", d.times().end().toString()).bind("available", d.available()).bind("note", d.note())
                .bind("now", Timestamps.format(Timestamps.now(clock))).bind("actor", actorId).bind("id", id)
                .map(MAPPER).one();
    }

    public void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM availability WHERE id = :id").bind("id", id).execute();
    }
}
