package com.royalcare.scheduler.booking;

import com.royalcare.scheduler.availability.SlotTimes;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.db.Timestamps;
import com.royalcare.scheduler.staff.Role;
import com.royalcare.scheduler.staff.Staff;
import com.royalcare.scheduler.staff.StaffDraft;
import com.royalcare.scheduler.staff.StaffRepository;
import com.royalcare.scheduler.support.MutableClock;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The booking repositories' contract (services, clients, appointments), called by the per-vendor
 * {@code db.RepositoryContract} suite: the repositories are package-private, so their checks live
 * here, and each vendor's test runs every one of them on its own fresh database.
 */
public final class BookingRepositoryChecks {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 1);
    private static final ZoneId ZONE = ZoneId.of("Asia/Manila");

    private final Database db;
    private final MutableClock clock = new MutableClock();
    private final StaffRepository staff;
    private final TreatmentRepository services = new TreatmentRepository.Jdbc(clock);
    private final ClientRepository clients = new ClientRepository.Jdbc(clock);
    private final AppointmentRepository appointments = new AppointmentRepository.Jdbc();

    public BookingRepositoryChecks(Database db) {
        this.db = db;
        this.staff = new StaffRepository(db, clock);
    }

    public void services_round_trip_with_exact_prices_and_unique_names() {
        Treatment swedish = db.write(h -> services.insert(h, new Treatment(0, "Swedish", 60, Money.of("1234.50"), true)));
        Treatment aroma = db.write(h -> services.insert(h, new Treatment(0, "Aromatherapy", 90, Money.of("0.01"), false)));
        assertThat(swedish.id()).isPositive();
        assertThat(swedish.price().cents()).isEqualTo(123_450);
        assertThat(swedish.price().amount()).isEqualTo(new BigDecimal("1234.50")); // scale 2 kept, not 1234.5
        assertThat(aroma.active()).isFalse();
        assertThat(findService(swedish.id())).contains(swedish);
        assertThat(allServices()).containsExactly(aroma, swedish); // by name
        assertThat(servicesById(List.of(swedish.id(), aroma.id()))).containsExactlyInAnyOrder(swedish, aroma);
        assertThat(servicesById(List.of())).isEmpty();
        assertThat(serviceNamed("SWEDISH")).contains(swedish);

        Treatment changed = db.write(h -> services.update(h, new Treatment(swedish.id(), "Swedish", 75, Money.of("9999999.99"), false)));
        assertThat(changed.price().amount()).isEqualTo(new BigDecimal("9999999.99"));
        assertThat(changed.durationMinutes()).isEqualTo(75);
        assertThat(findService(swedish.id())).contains(changed);

        assertThatThrownBy(() -> db.write(h -> services.insert(h, new Treatment(0, "Swedish", 30, Money.ZERO, true))))
                .isInstanceOf(RuntimeException.class);
        assertThat(allServices()).hasSize(2);
    }

    public void clients_round_trip_search_and_unique_phones() {
        Client maria = db.write(h -> clients.insert(h, new Client(0, "Maria Clara", "+63 917-555 0101", "12 Rizal Ave, Manila",
                "Gate code 1234", null, null)));
        clock.advance(Duration.ofMinutes(1));
        Client juan = db.write(h -> clients.insert(h, new Client(0, "Juan Dela Cruz", "+639175550202", null, null, null, null)));
        assertThat(maria.phone()).isEqualTo("+639175550101");
        assertThat(maria.createdAt()).isEqualTo(maria.updatedAt()).isNotNull();
        assertThat(juan.createdAt()).isAfter(maria.createdAt());
        assertThat(findClient(maria.id())).contains(maria);
        assertThat(clientByPhone("+639175550202")).contains(juan);
        assertThat(clientByPhone("+639170000000")).isEmpty();

        assertThat(search("maria")).containsExactly(maria);
        assertThat(search("555 02")).as("phones match without spaces").containsExactly(juan);
        assertThat(search("5550")).as("ordered by name").containsExactly(juan, maria);
        assertThat(search(null)).containsExactly(juan, maria);
        assertThat(search("%")).as("LIKE wildcards are taken literally").isEmpty();
        assertThat(search(null, 1)).hasSize(1);

        assertThatThrownBy(() -> db.write(h -> clients.insert(h, new Client(0, "Someone Else", "+63 917 555 0101", null, null, null, null))))
                .isInstanceOf(RuntimeException.class);

        clock.advance(Duration.ofMinutes(1));
        Client moved = db.write(h -> clients.update(h, new Client(maria.id(), "Maria C. Santos", maria.phone(), null, "Ring twice",
                maria.createdAt(), maria.updatedAt())));
        assertThat(moved.name()).isEqualTo("Maria C. Santos");
        assertThat(moved.address()).isNull();
        assertThat(moved.notes()).isEqualTo("Ring twice");
        assertThat(moved.createdAt()).isEqualTo(maria.createdAt());
        assertThat(moved.updatedAt()).isAfter(maria.updatedAt());
    }

    public void appointment_insert_read_update_with_version_bump() {
        Staff anna = person("anna", Role.THERAPIST);
        Staff dan = person("dan", Role.DRIVER);
        Staff olga = person("olga", Role.OPERATOR);
        Client maria = client("Maria", "+639170000001");
        Treatment swedish = service("Swedish", 60, "1234.50");
        Treatment foot = service("Foot", 30, "800.00");
        Instant now = Timestamps.now(clock);

        Appointment draft = visit(maria, List.of(line(swedish), line(foot)), List.of(assignee(anna, Appointment.Response.PENDING, null)),
                assignee(dan, Appointment.Response.PENDING, null), DAY, "14:00", "15:30", Appointment.Status.PENDING);
        long id = insert(draft, new Appointment.HistoryEntry(Appointment.Status.PENDING, olga.id(), now, null));
        Appointment stored = find(id).orElseThrow();
        assertThat(stored.id()).isEqualTo(id);
        assertThat(stored.client()).isEqualTo(new Appointment.ClientRef(maria.id(), "Maria", "+639170000001"));
        assertThat(stored.address()).isEqualTo("1 Home St");
        assertThat(stored.notes()).isEqualTo("bring oil");
        assertThat(stored.services()).containsExactly(line(swedish), line(foot));
        assertThat(stored.total().amount()).isEqualTo(new BigDecimal("2034.50"));
        assertThat(stored.therapists()).containsExactly(new Appointment.Assignee(anna.id(), "Name anna", Appointment.Response.PENDING, null));
        assertThat(stored.driver()).isEqualTo(new Appointment.Assignee(dan.id(), "Name dan", Appointment.Response.PENDING, null));
        assertThat(stored.date()).isEqualTo(DAY);
        assertThat(stored.start()).isEqualTo(LocalTime.of(14, 0));
        assertThat(stored.end()).isEqualTo(LocalTime.of(15, 30));
        assertThat(stored.status()).isEqualTo(Appointment.Status.PENDING);
        assertThat(stored.forced()).isFalse();
        assertThat(stored.payment()).isNull();
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.history()).containsExactly(new Appointment.HistoryEntry(Appointment.Status.PENDING, olga.id(), now, null));
        assertThat(stored.createdAt()).isEqualTo(now).isEqualTo(stored.updatedAt());
        assertThat(find(id + 1000)).isEmpty();

        clock.advance(Duration.ofMinutes(5));
        Instant later = Timestamps.now(clock);
        Appointment.Payment paid = new Appointment.Payment(Appointment.PaymentMethod.GCASH, Money.of("1234.56"));
        Appointment next = new Appointment(id, stored.client(), "2 Other St", null, List.of(line(foot)),
                List.of(assignee(anna, Appointment.Response.ACCEPTED, null)), null, DAY, LocalTime.of(16, 0), LocalTime.of(16, 30),
                Appointment.Status.COMPLETED, false, Money.ZERO, true, paid, stored.version(), stored.history(), stored.createdAt(), later);
        db.write(h -> {
            appointments.update(h, next, next.times().in(ZONE), later);
            appointments.addHistory(h, id, new Appointment.HistoryEntry(Appointment.Status.COMPLETED, anna.id(), later, null));
            return null;
        });
        Appointment updated = find(id).orElseThrow();
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.services()).as("services replaced").containsExactly(line(foot));
        assertThat(updated.total().amount()).isEqualTo(new BigDecimal("800.00"));
        assertThat(updated.therapists()).containsExactly(new Appointment.Assignee(anna.id(), "Name anna", Appointment.Response.ACCEPTED, null));
        assertThat(updated.driver()).as("driver removed").isNull();
        assertThat(updated.address()).isEqualTo("2 Other St");
        assertThat(updated.notes()).isNull();
        assertThat(updated.start()).isEqualTo(LocalTime.of(16, 0));
        assertThat(updated.status()).isEqualTo(Appointment.Status.COMPLETED);
        assertThat(updated.forced()).isTrue();
        assertThat(updated.payment()).isEqualTo(paid);
        assertThat(updated.history()).extracting(Appointment.HistoryEntry::status)
                .containsExactly(Appointment.Status.PENDING, Appointment.Status.COMPLETED);
        assertThat(updated.createdAt()).isEqualTo(now);
        assertThat(updated.updatedAt()).isEqualTo(later);

        db.write(h -> {
            appointments.update(h, updated, updated.times().in(ZONE), later);
            return null;
        });
        assertThat(find(id).orElseThrow().version()).isEqualTo(3);
    }

    public void appointments_list_by_date_range_staff_and_status() {
        Staff anna = person("anna", Role.THERAPIST);
        Staff ben = person("ben", Role.THERAPIST);
        Client maria = client("Maria", "+639170000001");
        Treatment swedish = service("Swedish", 60, "800.00");
        long annaLate = book(maria, swedish, anna, DAY, "15:00", "16:00", Appointment.Status.PENDING);
        long annaEarly = book(maria, swedish, anna, DAY, "09:00", "10:00", Appointment.Status.CONFIRMED);
        long benCancelled = book(maria, swedish, ben, DAY, "11:00", "12:00", Appointment.Status.CANCELLED);
        long annaTomorrow = book(maria, swedish, anna, DAY.plusDays(1), "08:00", "09:00", Appointment.Status.PENDING);
        long benLastWeek = book(maria, swedish, ben, DAY.minusDays(7), "08:00", "09:00", Appointment.Status.COMPLETED);

        assertThat(ids(new AppointmentRepository.Query(null, null, null, null)))
                .as("by start time").containsExactly(benLastWeek, annaEarly, benCancelled, annaLate, annaTomorrow);
        assertThat(ids(new AppointmentRepository.Query(null, DAY, DAY, null))).containsExactly(annaEarly, benCancelled, annaLate);
        assertThat(ids(new AppointmentRepository.Query(null, DAY, DAY.plusDays(1), null)))
                .containsExactly(annaEarly, benCancelled, annaLate, annaTomorrow);
        assertThat(ids(new AppointmentRepository.Query(null, DAY.plusDays(1), null, null))).containsExactly(annaTomorrow);
        assertThat(ids(new AppointmentRepository.Query(null, null, DAY.minusDays(1), null))).containsExactly(benLastWeek);
        assertThat(ids(new AppointmentRepository.Query(anna.id(), null, null, null))).containsExactly(annaEarly, annaLate, annaTomorrow);
        assertThat(ids(new AppointmentRepository.Query(ben.id(), DAY, DAY, null))).containsExactly(benCancelled);
        assertThat(ids(new AppointmentRepository.Query(null, null, null, Appointment.Status.PENDING))).containsExactly(annaLate, annaTomorrow);
        assertThat(ids(new AppointmentRepository.Query(anna.id(), DAY, DAY, Appointment.Status.CONFIRMED))).containsExactly(annaEarly);
        assertThat(ids(new AppointmentRepository.Query(ben.id(), null, null, Appointment.Status.PENDING))).isEmpty();
    }

    public void overnight_appointment_belongs_to_its_start_date_and_holds_the_early_hours() {
        Staff anna = person("anna", Role.THERAPIST);
        Client maria = client("Maria", "+639170000001");
        Treatment swedish = service("Swedish", 120, "1500.00");
        long late = book(maria, swedish, anna, DAY, "23:00", "01:00", Appointment.Status.CONFIRMED);

        Appointment a = find(late).orElseThrow();
        assertThat(a.date()).isEqualTo(DAY);
        assertThat(a.start()).isEqualTo(LocalTime.of(23, 0));
        assertThat(a.end()).isEqualTo(LocalTime.of(1, 0));
        assertThat(ids(new AppointmentRepository.Query(null, DAY, DAY, null))).containsExactly(late);
        assertThat(ids(new AppointmentRepository.Query(null, DAY.plusDays(1), DAY.plusDays(1), null))).isEmpty();

        Instant nextMidnight = DAY.plusDays(1).atStartOfDay(ZONE).toInstant();
        assertThat(holding(anna, nextMidnight, nextMidnight.plus(Duration.ofHours(2))))
                .as("holds 00:00-01:00 of the next day").containsExactly(late);
        assertThat(holding(anna, nextMidnight.plus(Duration.ofHours(1)), nextMidnight.plus(Duration.ofHours(3))))
                .as("half-open: free from 01:00").isEmpty();
        AppointmentRepository.Holding held = db.read(h -> appointments.holding(h, anna.id(), nextMidnight,
                nextMidnight.plus(Duration.ofHours(2)))).get(0);
        assertThat(held.interval()).isEqualTo(a.times().in(ZONE));
        assertThat(held.interval().end()).isEqualTo(nextMidnight.plus(Duration.ofHours(1)));
        assertThat(held.status()).isEqualTo(Appointment.Status.CONFIRMED);
    }

    public void assignee_responses_round_trip_and_a_rejection_releases_that_persons_time() {
        Staff anna = person("anna", Role.THERAPIST);
        Staff ben = person("ben", Role.THERAPIST);
        Staff dan = person("dan", Role.DRIVER);
        Client maria = client("Maria", "+639170000001");
        Treatment swedish = service("Swedish", 60, "800.00");
        Instant now = Timestamps.now(clock);
        Appointment draft = visit(maria, List.of(line(swedish)), List.of(assignee(ben, Appointment.Response.REJECTED, "Flat tyre"),
                        assignee(anna, Appointment.Response.ACCEPTED, null)), assignee(dan, Appointment.Response.PENDING, null),
                DAY, "10:00", "11:00", Appointment.Status.REJECTED);
        long id = insert(draft, new Appointment.HistoryEntry(Appointment.Status.PENDING, null, now, null));
        db.write(h -> {
            appointments.addHistory(h, id, new Appointment.HistoryEntry(Appointment.Status.REJECTED, ben.id(), now, "Flat tyre"));
            return null;
        });

        Appointment a = find(id).orElseThrow();
        assertThat(a.therapists()).as("ordered by staff id").containsExactly(
                new Appointment.Assignee(anna.id(), "Name anna", Appointment.Response.ACCEPTED, null),
                new Appointment.Assignee(ben.id(), "Name ben", Appointment.Response.REJECTED, "Flat tyre"));
        assertThat(a.driver()).isEqualTo(new Appointment.Assignee(dan.id(), "Name dan", Appointment.Response.PENDING, null));
        assertThat(a.history()).containsExactly(new Appointment.HistoryEntry(Appointment.Status.PENDING, null, now, null),
                new Appointment.HistoryEntry(Appointment.Status.REJECTED, ben.id(), now, "Flat tyre"));
        assertThat(a.assigneeIds()).containsExactlyInAnyOrder(anna.id(), ben.id(), dan.id());

        Instant from = DAY.atTime(9, 0).atZone(ZONE).toInstant();
        Instant to = DAY.atTime(12, 0).atZone(ZONE).toInstant();
        // status rejected holds nobody's time; as pending again, everyone's but the one who rejected
        assertThat(holding(anna, from, to)).isEmpty();
        Appointment pendingAgain = new Appointment(a.id(), a.client(), a.address(), a.notes(), a.services(), a.therapists(), a.driver(),
                a.date(), a.start(), a.end(), Appointment.Status.PENDING, false, a.total(), a.forced(), null, a.version(), a.history(),
                a.createdAt(), now);
        db.write(h -> {
            appointments.update(h, pendingAgain, pendingAgain.times().in(ZONE), now);
            return null;
        });
        assertThat(holding(anna, from, to)).containsExactly(id);
        assertThat(holding(dan, from, to)).containsExactly(id);
        assertThat(holding(ben, from, to)).as("a rejecting assignee's time is released").isEmpty();
        assertThat(find(id).orElseThrow().therapists()).extracting(Appointment.Assignee::reason).containsExactly(null, "Flat tyre");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Staff person(String username, Role role) {
        return db.write(h -> staff.insert(h, new StaffDraft(username, "Name " + username, role, true, null, null,
                role == Role.THERAPIST ? "moderate" : null, role == Role.DRIVER ? "ABC 123" : null), "hash"));
    }

    private Client client(String name, String phone) {
        return db.write(h -> clients.insert(h, new Client(0, name, phone, "1 Home St", null, null, null)));
    }

    private Treatment service(String name, int minutes, String price) {
        return db.write(h -> services.insert(h, new Treatment(0, name, minutes, Money.of(price), true)));
    }

    private static Appointment.Line line(Treatment t) {
        return new Appointment.Line(t.id(), t.name(), t.durationMinutes(), t.price());
    }

    private static Appointment.Assignee assignee(Staff s, Appointment.Response response, String reason) {
        return new Appointment.Assignee(s.id(), s.name(), response, reason);
    }

    private Appointment visit(Client c, List<Appointment.Line> lines, List<Appointment.Assignee> therapists, Appointment.Assignee driver,
                              LocalDate date, String start, String end, Appointment.Status status) {
        Instant now = Timestamps.now(clock);
        return new Appointment(0, new Appointment.ClientRef(c.id(), c.name(), c.phone()), c.address(), "bring oil", lines, therapists,
                driver, date, LocalTime.parse(start), LocalTime.parse(end), status, false, Money.ZERO, false, null, 0, List.of(), now, now);
    }

    private long insert(Appointment draft, Appointment.HistoryEntry first) {
        return db.write(h -> {
            long id = appointments.insert(h, draft, draft.times().in(ZONE), first.at());
            appointments.addHistory(h, id, first);
            return id;
        });
    }

    private long book(Client c, Treatment t, Staff who, LocalDate date, String start, String end, Appointment.Status status) {
        Appointment draft = visit(c, List.of(line(t)), List.of(assignee(who, Appointment.Response.PENDING, null)), null, date, start, end, status);
        return insert(draft, new Appointment.HistoryEntry(status, null, Timestamps.now(clock), null));
    }

    private Optional<Appointment> find(long id) {
        return db.read(h -> appointments.find(h, id));
    }

    private List<Long> ids(AppointmentRepository.Query q) {
        return db.read(h -> appointments.list(h, q)).stream().map(Appointment::id).toList();
    }

    private List<Long> holding(Staff who, Instant from, Instant to) {
        return db.read(h -> appointments.holding(h, who.id(), from, to)).stream().map(AppointmentRepository.Holding::appointmentId).toList();
    }

    private List<Client> search(String q) {
        return search(q, 50);
    }

    private List<Client> search(String q, int limit) {
        return db.read(h -> clients.search(h, q, limit));
    }

    private Optional<Client> findClient(long id) {
        return db.read(h -> clients.find(h, id));
    }

    private Optional<Client> clientByPhone(String phone) {
        return db.read(h -> clients.findByPhone(h, phone));
    }

    private Optional<Treatment> findService(long id) {
        return db.read(h -> services.find(h, id));
    }

    private Optional<Treatment> serviceNamed(String name) {
        return db.read(h -> services.findByName(h, name));
    }

    private List<Treatment> allServices() {
        return db.read(services::all);
    }

    private List<Treatment> servicesById(List<Long> ids) {
        return db.read(h -> services.findAll(h, ids));
    }
}
