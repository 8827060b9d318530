package com.royalcare.scheduler.staff;

import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.db.StoredText;
import com.royalcare.scheduler.db.Timestamps;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * SQL for the staff table (works on SQLite and PostgreSQL), the only code that touches it.
 * Other features reach it through {@link StaffDirectory} and {@link Credentials}. Callers own the transaction.
 */
public final class StaffRepository implements StaffDirectory, Credentials {

    private static final RowMapper<Staff> MAPPER = (rs, ctx) -> new Staff(
            rs.getLong("id"), rs.getString("username"), rs.getString("name"),
            Role.parse(rs.getString("role")).orElseThrow(), rs.getBoolean("active"),
            rs.getString("phone"), rs.getString("specialization"), rs.getString("pressure"), rs.getString("vehicle_plate"));

    private static final String COLUMNS = "id, username, name, role, active, phone, specialization, pressure, vehicle_plate";
    private static final int BATCH = 500;

    private final Database db;
    private final Clock clock;

    /** @param clock stamps created_at / updated_at */
    public StaffRepository(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Optional<Staff> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM staff WHERE id = :id").bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public Optional<Staff> findForUpdate(Handle h, long id) {
        db.lockRow(h, "staff", id);
        return find(h, id);
    }

    Optional<Staff> findByUsername(Handle h, String username) {
        return h.createQuery("SELECT " + COLUMNS + " FROM staff WHERE username = :u").bind("u", username).map(MAPPER).findOne();
    }

    @Override
    public List<Staff> list(Handle h, Role role, Boolean active) {
        return h.createQuery("SELECT " + COLUMNS + " FROM staff WHERE (:role IS NULL OR role = :role) "
                        + "AND (:active IS NULL OR active = :active) ORDER BY name, id")
                .bind("role", role == null ? null : role.wire())
                .bind("active", active)
                .map(MAPPER).list();
    }

    @Override
    public Set<Long> activeAmong(Handle h, Collection<Long> ids) {
        Set<Long> active = new HashSet<>();
        List<Long> all = List.copyOf(new HashSet<>(ids));
        for (int i = 0; i < all.size(); i += BATCH) {
            active.addAll(h.createQuery("SELECT id FROM staff WHERE id IN (<ids>) AND active = :active")
                    .bindList("ids", all.subList(i, Math.min(all.size(), i + BATCH)))
                    .bind("active", true)
                    .mapTo(Long.class).list());
        }
        return active;
    }

    long count(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM staff").mapTo(Long.class).one();
    }

    /** Serialises account creation across nodes for the rest of the transaction (PostgreSQL). */
    void lockTable(Handle h) {
        db.lockTable(h, "staff");
    }

    public Staff insert(Handle h, StaffDraft s, String passwordHash) {
        String now = Timestamps.format(Timestamps.now(clock));
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
                .bind("now", Timestamps.format(Timestamps.now(clock))).bind("id", s.id())
                .execute();
        return find(h, s.id()).orElseThrow();
    }

    /** A new password also clears failed sign-ins and any lock, from every address. */
    @Override
    public void setPassword(Handle h, long staffId, String passwordHash) {
        h.createUpdate("UPDATE staff SET password_hash = :hash WHERE id = :id").bind("hash", passwordHash).bind("id", staffId).execute();
        unlock(h, staffId);
    }

    @Override
    public Optional<String> passwordHash(Handle h, long staffId) {
        return h.createQuery("SELECT password_hash FROM staff WHERE id = :id").bind("id", staffId).mapTo(String.class).findOne();
    }

    /** The accounts with a sign-in lock in force now (by this repository's clock) from some address, with the latest end. */
    Map<Long, Instant> locksInForce(Handle h) {
        Map<Long, Instant> locked = new HashMap<>();
        h.createQuery("SELECT staff_id, MAX(locked_until) AS until FROM sign_in_failures WHERE locked_until > :now GROUP BY staff_id")
                .bind("now", Timestamps.format(Timestamps.now(clock)))
                .map((rs, ctx) -> Map.entry(rs.getLong("staff_id"), StoredText.instant(rs.getString("until"))))
                .forEach(e -> locked.put(e.getKey(), e.getValue()));
        return locked;
    }

    /** Clears the failed sign-in counts and locks of the account, from every address. */
    void unlock(Handle h, long id) {
        h.createUpdate("DELETE FROM sign_in_failures WHERE staff_id = :id").bind("id", id).execute();
    }

    @Override
    public Optional<SignInState> lockForSignIn(Handle h, String username, String client) {
        Optional<Long> id = h.createQuery("SELECT id FROM staff WHERE username = :u").bind("u", username).mapTo(Long.class).findOne();
        if (id.isEmpty()) return Optional.empty();
        db.lockRow(h, "staff", id.get());
        return h.createQuery("SELECT s.id, s.password_hash, s.active, f.failed, f.locked_until FROM staff s "
                        + "LEFT JOIN sign_in_failures f ON f.staff_id = s.id AND f.client = :client WHERE s.id = :id")
                .bind("id", id.get()).bind("client", client)
                .map((rs, ctx) -> {
                    String lockedRaw = rs.getString("locked_until");
                    return new SignInState(rs.getLong("id"), rs.getString("password_hash"), rs.getBoolean("active"),
                            rs.getInt("failed"), lockedRaw == null ? null : StoredText.instant(lockedRaw));
                })
                .findOne();
    }

    @Override
    public void setFailedSignIns(Handle h, long staffId, String client, int failedSignIns, Instant lockedUntil) {
        h.createUpdate("DELETE FROM sign_in_failures WHERE staff_id = :id AND client = :client")
                .bind("id", staffId).bind("client", client).execute();
        if (failedSignIns == 0 && lockedUntil == null) return;
        h.createUpdate("INSERT INTO sign_in_failures (staff_id, client, failed, locked_until, updated_at) VALUES (:id, :client, :n, :until, :now)")
                .bind("id", staffId).bind("client", client).bind("n", failedSignIns)
                .bind("until", lockedUntil == null ? null : Timestamps.format(lockedUntil))
                .bind("now", Timestamps.format(Timestamps.now(clock)))
                .execute();
    }

    @Override
    public void forgetFailuresBefore(Handle h, Instant before) {
        String at = Timestamps.format(before);
        h.createUpdate("DELETE FROM sign_in_failures WHERE updated_at < :at AND (locked_until IS NULL OR locked_until < :at)")
                .bind("at", at).execute();
    }
}
