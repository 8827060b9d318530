package com.royalcare.scheduler.booking;

import com.royalcare.scheduler.db.Timestamps;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The service menu (table {@code services}). Callers own the transaction. */
interface TreatmentRepository {

    List<Treatment> all(Handle h);

    Optional<Treatment> find(Handle h, long id);

    List<Treatment> findAll(Handle h, Collection<Long> ids);

    Optional<Treatment> findByName(Handle h, String name);

    Treatment insert(Handle h, Treatment t);

    Treatment update(Handle h, Treatment t);

    /** Jdbi SQL for SQLite and PostgreSQL alike. */
    final class Jdbc implements TreatmentRepository {

        private final java.time.Clock clock;

        /** @param clock what the created and updated times are read from */
        Jdbc(java.time.Clock clock) {
            this.clock = clock;
        }

        private static final RowMapper<Treatment> MAPPER = (rs, ctx) -> new Treatment(rs.getLong("id"), rs.getString("name"),
                rs.getInt("duration_minutes"), new Money(rs.getLong("price_cents")), rs.getBoolean("active"));

        @Override
        public List<Treatment> all(Handle h) {
            return h.createQuery("SELECT * FROM services ORDER BY name, id").map(MAPPER).list();
        }

        @Override
        public Optional<Treatment> find(Handle h, long id) {
            return h.createQuery("SELECT * FROM services WHERE id = :id").bind("id", id).map(MAPPER).findOne();
        }

        @Override
        public List<Treatment> findAll(Handle h, Collection<Long> ids) {
            if (ids.isEmpty()) return List.of();
            return h.createQuery("SELECT * FROM services WHERE id IN (<ids>)").bindList("ids", List.copyOf(ids)).map(MAPPER).list();
        }

        @Override
        public Optional<Treatment> findByName(Handle h, String name) {
            return h.createQuery("SELECT * FROM services WHERE LOWER(name) = LOWER(:name)").bind("name", name).map(MAPPER).findFirst();
        }

        @Override
        public Treatment insert(Handle h, Treatment t) {
            String now = Timestamps.format(Timestamps.now(clock));
            long id = h.createQuery("INSERT INTO services (name, duration_minutes, price_cents, active, created_at, updated_at) "
                            + "VALUES (:name, :minutes, :cents, :active, :now, :now) RETURNING id")
                    .bind("name", t.name()).bind("minutes", t.durationMinutes()).bind("cents", t.price().cents())
                    .bind("active", t.active()).bind("now", now).mapTo(Long.class).one();
            return find(h, id).orElseThrow();
        }

        @Override
        public Treatment update(Handle h, Treatment t) {
            h.createUpdate("UPDATE services SET name = :name, duration_minutes = :minutes, price_cents = :cents, active = :active, "
                            + "updated_at = :now WHERE id = :id")
                    .bind("name", t.name()).bind("minutes", t.durationMinutes()).bind("cents", t.price().cents())
                    .bind("active", t.active()).bind("now", Timestamps.format(Timestamps.now(clock))).bind("id", t.id()).execute();
            return find(h, t.id()).orElseThrow();
        }
    }
}
