package com.royalcare.scheduler.booking;

import com.royalcare.scheduler.db.StoredText;
import com.royalcare.scheduler.db.Timestamps;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Clients. Callers own the transaction. */
interface ClientRepository {

    /** Clients whose name or phone contains {@code q} (case-insensitive), by name; all when q is null. */
    List<Client> search(Handle h, String q, int limit);

    Optional<Client> find(Handle h, long id);

    Optional<Client> findByPhone(Handle h, String phone);

    Client insert(Handle h, Client c);

    Client update(Handle h, Client c);

    final class Jdbc implements ClientRepository {

        private final java.time.Clock clock;

        /** @param clock what the created and updated times are read from */
        Jdbc(java.time.Clock clock) {
            this.clock = clock;
        }

        private static final RowMapper<Client> MAPPER = (rs, ctx) -> new Client(rs.getLong("id"), rs.getString("name"),
                rs.getString("phone"), rs.getString("address"), rs.getString("notes"),
                StoredText.instant(rs.getString("created_at")), StoredText.instant(rs.getString("updated_at")));

        @Override
        public List<Client> search(Handle h, String q, int limit) {
            String like = q == null ? null : "%" + escapeLike(q.toLowerCase(java.util.Locale.ROOT)) + "%";
            String phoneLike = q == null ? null : "%" + escapeLike(Client.normalisePhone(q)) + "%";
            return h.createQuery("SELECT * FROM clients WHERE CAST(:q AS TEXT) IS NULL OR LOWER(name) LIKE :like ESCAPE '!' "
                            + "OR phone LIKE :phone ESCAPE '!' ORDER BY name, id LIMIT :limit")
                    .bind("q", q).bind("like", like).bind("phone", phoneLike).bind("limit", limit)
                    .map(MAPPER).list();
        }

        private static String escapeLike(String s) {
            return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        }

        @Override
        public Optional<Client> find(Handle h, long id) {
            return h.createQuery("SELECT * FROM clients WHERE id = :id").bind("id", id).map(MAPPER).findOne();
        }

        @Override
        public Optional<Client> findByPhone(Handle h, String phone) {
            return h.createQuery("SELECT * FROM clients WHERE phone = :phone").bind("phone", phone).map(MAPPER).findOne();
        }

        @Override
        public Client insert(Handle h, Client c) {
            String now = Timestamps.format(Timestamps.now(clock));
            long id = h.createQuery("INSERT INTO clients (name, phone, address, notes, created_at, updated_at) "
                            + "VALUES (:name, :phone, :address, :notes, :now, :now) RETURNING id")
                    .bind("name", c.name()).bind("phone", c.phone()).bind("address", c.address()).bind("notes", c.notes())
                    .bind("now", now).mapTo(Long.class).one();
            return find(h, id).orElseThrow();
        }

        @Override
        public Client update(Handle h, Client c) {
            h.createUpdate("UPDATE clients SET name = :name, phone = :phone, address = :address, notes = :notes, updated_at = :now "
                            + "WHERE id = :id")
                    .bind("name", c.name()).bind("phone", c.phone()).bind("address", c.address()).bind("notes", c.notes())
                    .bind("now", Timestamps.format(Timestamps.now(clock))).bind("id", c.id()).execute();
            return find(h, c.id()).orElseThrow();
        }
    }
}
