package com.royalcare.scheduler.staff;

import com.royalcare.scheduler.db.Timestamps;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** SQL for the staff table (works on SQLite and PostgreSQL). Callers own the transaction. */
public final class StaffRepository {

    static final RowMapper<Staff> MAPPER = (rs, ctx) -> new Staff(
            rs.getLong("id"), rs.getString("username"), rs.getString("name"),
            Role.parse(rs.getString("role")).orElseThrow(), rs.getBoolean("active"),
            rs.getString("phone"), rs.getString("specialization"), rs.getString("pressure"), rs.getString("vehicle_plate"));

    private static final String COLUMNS = "id, username, name, role, active, phone, specialization, pressure, vehicle_plate";

    public Optional<Staff> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM staff WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    public Optional<Staff> findByUsername(Handle h, String username) {
        return h.createQuery("SELECT " + COLUMNS + " FROM staff WHERE username = :u").bind("u", username).map(MAPPER).findOne();
    }

    public List<Staff> list(Handle h, Role role, Boolean active) {
        return h.createQuery("SELECT " + COLUMNS + " FROM staff WHERE (:role IS NULL OR role = :role) "
                        + "AND (:active IS NULL OR active = :active) ORDER BY name, id")
                .bind("role", role == null ? null : role.wire())
                .bind("active", active)
                .map(MAPPER).list();
    }

    public long count(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM staff").mapTo(Long.class).one();
    }

    public Staff insert(Handle h, StaffDraft s, String passwordHash) {
        String now = Timestamps.format(Timestamps.now());
        long id = h.createQuery("INSERT INTO staff (username, name, role, active, phone, specialization, pressure, "
                        + "vehicle_plate, password_hash, created_at, updated_at) VALUES (:username, :name, :role, :active, "
                        + ":phone, :specialization, :pressure, :plate, :hash, :now, :now) RETURNING id")
                .bind("username", s.username()).bind("name", s.name()).bind("role", s.role().wire())
                .bind("active", s.active()).bind("phone", s.phone()).bind("specialization", s.specialization())
                .bind("pressure", s.pressure()).bind("plate", s.vehiclePlate()).bind("hash", passwordHash).bind("now", now)
                .mapTo(Long.class).one();
        return find(h, id).orElseThrow();
    }

    public Staff update(Handle h, Staff s) {
        h.createUpdate("UPDATE staff SET name = :name, active = :active, phone = :phone, specialization = :specialization, "
                        + "pressure = :pressure, vehicle_plate = :plate, updated_at = :now WHERE id = :id")
                .bind("name", s.name()).bind("active", s.active()).bind("phone", s.phone())
                .bind("specialization", s.specialization()).bind("pressure", s.pressure()).bind("plate", s.vehiclePlate())
                .bind("now", Timestamps.format(Timestamps.now())).bind("id", s.id())
                .execute();
        return find(h, s.id()).orElseThrow();
    }

    /** The accounts whose sign-in lock ends after {@code now}, with its end. */
    public java.util.Map<Long, Instant> lockedAfter(Handle h, Instant now) {
        java.util.Map<Long, Instant> locked = new java.util.HashMap<>();
        h.createQuery("SELECT id, locked_until FROM staff WHERE locked_until > :now")
                .bind("now", Timestamps.format(now))
                .map((rs, ctx) -> java.util.Map.entry(rs.getLong("id"), Instant.parse(rs.getString("locked_until"))))
                .forEach(e -> locked.put(e.getKey(), e.getValue()));
        return locked;
    }

    /** Clears the failed sign-in count and any lock. */
    public void unlock(Handle h, long id) {
        h.createUpdate("UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE id = :id").bind("id", id).execute();
    }

    public void setPasswordHash(Handle h, long id, String hash) {
        h.createUpdate("UPDATE staff SET password_hash = :hash, failed_logins = 0, locked_until = NULL WHERE id = :id")
                .bind("hash", hash).bind("id", id).execute();
    }
}
