package com.royalcare.scheduler.booking;

import com.royalcare.scheduler.availability.SlotTimes;
import com.royalcare.scheduler.db.Conditions;
import com.royalcare.scheduler.db.StoredText;
import com.royalcare.scheduler.db.Timestamps;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Appointments with their services, assignees and history. Callers own the transaction. */
interface AppointmentRepository {

    /** What a list may be narrowed by; null means any. Dates are the visits' own (start) dates, inclusive. */
    record Query(Long staffId, LocalDate from, LocalDate to, Appointment.Status status) {
    }

    /** A visit holding one person's time. */
    record Holding(long appointmentId, Instant start, Instant end, Appointment.Status status, boolean forced) {
        SlotTimes.Interval interval() {
            return new SlotTimes.Interval(start, end);
        }
    }

    Optional<Appointment> find(Handle h, long id);

    List<Appointment> list(Handle h, Query q);

    /**
     * Visits of {@code staffId} in a time-holding status (pending, confirmed, in progress) that they have not
     * rejected, overlapping [from, to).
     */
    List<Holding> holding(Handle h, long staffId, Instant from, Instant to);

    /** Stores a new visit (its id and version are ignored) and returns its id. */
    long insert(Handle h, Appointment a, SlotTimes.Interval when, Instant now);

    /** Stores every field of {@code a} (services and assignees replaced), one version up. */
    void update(Handle h, Appointment a, SlotTimes.Interval when, Instant now);

    void addHistory(Handle h, long appointmentId, Appointment.HistoryEntry entry);

    final class Jdbc implements AppointmentRepository {

        private static final int CHUNK = 500;

        private record Core(long id, Appointment.ClientRef client, String address, String notes, LocalDate date, LocalTime start,
                            LocalTime end, Appointment.Status status, boolean forced, Appointment.Payment payment, long version,
                            Instant createdAt, Instant updatedAt) {
        }

        private static final String SELECT = "SELECT a.*, c.name AS client_name, c.phone AS client_phone "
                + "FROM appointments a JOIN clients c ON c.id = a.client_id ";

        private static Core core(java.sql.ResultSet rs) throws java.sql.SQLException {
            String method = rs.getString("payment_method");
            long paid = rs.getLong("amount_paid_cents");
            Appointment.Payment payment = method == null ? null
                    : new Appointment.Payment(Appointment.PaymentMethod.parse(method).orElseThrow(), new Money(paid));
            return new Core(rs.getLong("id"), new Appointment.ClientRef(rs.getLong("client_id"), rs.getString("client_name"),
                    rs.getString("client_phone")), rs.getString("address"), rs.getString("notes"),
                    StoredText.date(rs.getString("date")), StoredText.time(rs.getString("start_time")),
                    StoredText.time(rs.getString("end_time")), Appointment.Status.parse(rs.getString("status")).orElseThrow(),
                    rs.getBoolean("forced"), payment, rs.getLong("version"),
                    StoredText.instant(rs.getString("created_at")), StoredText.instant(rs.getString("updated_at")));
        }

        @Override
        public Optional<Appointment> find(Handle h, long id) {
            List<Core> cores = h.createQuery(SELECT + "WHERE a.id = :id").bind("id", id).map((rs, ctx) -> core(rs)).list();
            return assemble(h, cores).stream().findFirst();
        }

        @Override
        public List<Appointment> list(Handle h, Query q) {
            Conditions where = new Conditions()
                    .andIf(q.staffId(), "EXISTS (SELECT 1 FROM appointment_staff s WHERE s.appointment_id = a.id AND s.staff_id = :staff)", "staff")
                    .andIf(q.from() == null ? null : q.from().toString(), "a.date >= :from", "from")
                    .andIf(q.to() == null ? null : q.to().toString(), "a.date <= :to", "to")
                    .andIf(q.status() == null ? null : q.status().wire(), "a.status = :status", "status");
            List<Core> cores = where.bind(h.createQuery(SELECT + where.where() + " ORDER BY a.starts_at, a.id"))
                    .map((rs, ctx) -> core(rs)).list();
            return assemble(h, cores);
        }

        /** Loads services, assignees and history for all {@code cores} in a few queries, not three per visit. */
        private static List<Appointment> assemble(Handle h, List<Core> cores) {
            if (cores.isEmpty()) return List.of();
            Map<Long, List<Appointment.Line>> lines = new HashMap<>();
            Map<Long, List<Appointment.Assignee>> therapists = new HashMap<>();
            Map<Long, Appointment.Assignee> drivers = new HashMap<>();
            Map<Long, List<Appointment.HistoryEntry>> history = new HashMap<>();
            List<Long> ids = cores.stream().map(Core::id).toList();
            for (int i = 0; i < ids.size(); i += CHUNK) {
                List<Long> chunk = ids.subList(i, Math.min(ids.size(), i + CHUNK));
                h.createQuery("SELECT * FROM appointment_services WHERE appointment_id IN (<ids>) ORDER BY appointment_id, position")
                        .bindList("ids", chunk)
                        .map((rs, ctx) -> {
                            lines.computeIfAbsent(rs.getLong("appointment_id"), k -> new ArrayList<>()).add(new Appointment.Line(
                                    rs.getLong("service_id"), rs.getString("name"), rs.getInt("duration_minutes"),
                                    new Money(rs.getLong("price_cents"))));
                            return 0;
                        }).list();
                h.createQuery("SELECT s.*, st.name FROM appointment_staff s JOIN staff st ON st.id = s.staff_id "
                                + "WHERE s.appointment_id IN (<ids>) ORDER BY s.appointment_id, s.staff_id")
                        .bindList("ids", chunk)
                        .map((rs, ctx) -> {
                            Appointment.Assignee a = new Appointment.Assignee(rs.getLong("staff_id"), rs.getString("name"),
                                    Appointment.Response.valueOf(rs.getString("response").toUpperCase(java.util.Locale.ROOT)),
                                    rs.getString("reason"));
                            long id = rs.getLong("appointment_id");
                            if (rs.getString("role").equals("driver")) drivers.put(id, a);
                            else therapists.computeIfAbsent(id, k -> new ArrayList<>()).add(a);
                            return 0;
                        }).list();
                h.createQuery("SELECT * FROM appointment_history WHERE appointment_id IN (<ids>) ORDER BY appointment_id, id")
                        .bindList("ids", chunk)
                        .map((rs, ctx) -> {
                            long by = rs.getLong("by_id");
                            boolean noBy = rs.wasNull();
                            history.computeIfAbsent(rs.getLong("appointment_id"), k -> new ArrayList<>()).add(new Appointment.HistoryEntry(
                                    Appointment.Status.parse(rs.getString("status")).orElseThrow(), noBy ? null : by,
                                    StoredText.instant(rs.getString("at")), rs.getString("reason")));
                            return 0;
                        }).list();
            }
            List<Appointment> out = new ArrayList<>(cores.size());
            for (Core c : cores) {
                List<Appointment.Line> ls = lines.getOrDefault(c.id(), List.of());
                Money total = ls.stream().map(Appointment.Line::price).reduce(Money.ZERO, Money::plus);
                out.add(new Appointment(c.id(), c.client(), c.address(), c.notes(), ls, therapists.getOrDefault(c.id(), List.of()),
                        drivers.get(c.id()), c.date(), c.start(), c.end(), c.status(), false, total, c.forced(), c.payment(),
                        c.version(), history.getOrDefault(c.id(), List.of()), c.createdAt(), c.updatedAt()));
            }
            return out;
        }

        @Override
        public List<Holding> holding(Handle h, long staffId, Instant from, Instant to) {
            return h.createQuery("SELECT a.id, a.starts_at, a.ends_at, a.status, a.forced FROM appointments a "
                            + "JOIN appointment_staff s ON s.appointment_id = a.id "
                            + "WHERE s.staff_id = :staff AND s.response <> 'rejected' "
                            + "AND a.status IN ('pending', 'confirmed', 'in_progress') "
                            + "AND a.starts_at < :to AND a.ends_at > :from ORDER BY a.starts_at, a.id")
                    .bind("staff", staffId).bind("from", Timestamps.format(from)).bind("to", Timestamps.format(to))
                    .map((rs, ctx) -> new Holding(rs.getLong("id"), StoredText.instant(rs.getString("starts_at")),
                            StoredText.instant(rs.getString("ends_at")), Appointment.Status.parse(rs.getString("status")).orElseThrow(),
                            rs.getBoolean("forced")))
                    .list();
        }

        @Override
        public long insert(Handle h, Appointment a, SlotTimes.Interval when, Instant now) {
            long id = h.createQuery("INSERT INTO appointments (client_id, address, notes, date, start_time, end_time, starts_at, ends_at, "
                            + "status, forced, payment_method, amount_paid_cents, version, created_at, updated_at) VALUES (:client, :address, "
                            + ":notes, :date, :start, :end, :startsAt, :endsAt, :status, :forced, :method, :paid, 1, :now, :now) RETURNING id")
                    .bind("client", a.client().id()).bind("address", a.address()).bind("notes", a.notes())
                    .bind("date", a.date().toString()).bind("start", a.start().toString()).bind("end", a.end().toString())
                    .bind("startsAt", Timestamps.format(when.start())).bind("endsAt", Timestamps.format(when.end()))
                    .bind("status", a.status().wire()).bind("forced", a.forced())
                    .bind("method", a.payment() == null ? null : a.payment().method().wire())
                    .bind("paid", a.payment() == null ? null : a.payment().amountPaid().cents())
                    .bind("now", Timestamps.format(now))
                    .mapTo(Long.class).one();
            writeChildren(h, id, a);
            return id;
        }

        @Override
        public void update(Handle h, Appointment a, SlotTimes.Interval when, Instant now) {
            h.createUpdate("UPDATE appointments SET address = :address, notes = :notes, date = :date, start_time = :start, "
                            + "end_time = :end, starts_at = :startsAt, ends_at = :endsAt, status = :status, forced = :forced, "
                            + "payment_method = :method, amount_paid_cents = :paid, version = version + 1, updated_at = :now WHERE id = :id")
                    .bind("address", a.address()).bind("notes", a.notes())
                    .bind("date", a.date().toString()).bind("start", a.start().toString()).bind("end", a.end().toString())
                    .bind("startsAt", Timestamps.format(when.start())).bind("endsAt", Timestamps.format(when.end()))
                    .bind("status", a.status().wire()).bind("forced", a.forced())
                    .bind("method", a.payment() == null ? null : a.payment().method().wire())
                    .bind("paid", a.payment() == null ? null : a.payment().amountPaid().cents())
                    .bind("now", Timestamps.format(now)).bind("id", a.id())
                    .execute();
            h.createUpdate("DELETE FROM appointment_services WHERE appointment_id = :id").bind("id", a.id()).execute();
            h.createUpdate("DELETE FROM appointment_staff WHERE appointment_id = :id").bind("id", a.id()).execute();
            writeChildren(h, a.id(), a);
        }

        private static void writeChildren(Handle h, long id, Appointment a) {
            int position = 0;
            for (Appointment.Line l : a.services()) {
                h.createUpdate("INSERT INTO appointment_services (appointment_id, position, service_id, name, duration_minutes, price_cents) "
                                + "VALUES (:id, :pos, :service, :name, :minutes, :cents)")
                        .bind("id", id).bind("pos", position++).bind("service", l.id()).bind("name", l.name())
                        .bind("minutes", l.durationMinutes()).bind("cents", l.price().cents()).execute();
            }
            insertAssignees(h, id, a.therapists(), "therapist");
            if (a.driver() != null) insertAssignees(h, id, List.of(a.driver()), "driver");
        }

        private static void insertAssignees(Handle h, long id, Collection<Appointment.Assignee> people, String role) {
            for (Appointment.Assignee p : people) {
                h.createUpdate("INSERT INTO appointment_staff (appointment_id, staff_id, role, response, reason) "
                                + "VALUES (:id, :staff, :role, :response, :reason)")
                        .bind("id", id).bind("staff", p.id()).bind("role", role).bind("response", p.response().wire())
                        .bind("reason", p.reason()).execute();
            }
        }

        @Override
        public void addHistory(Handle h, long appointmentId, Appointment.HistoryEntry e) {
            h.createUpdate("INSERT INTO appointment_history (appointment_id, status, by_id, at, reason) VALUES (:id, :status, :by, :at, :reason)")
                    .bind("id", appointmentId).bind("status", e.status().wire()).bind("by", e.byId())
                    .bind("at", Timestamps.format(e.at())).bind("reason", e.reason()).execute();
        }
    }
}
