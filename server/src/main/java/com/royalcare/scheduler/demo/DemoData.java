package com.royalcare.scheduler.demo;

import com.royalcare.scheduler.availability.AvailabilityRefusal;
import com.royalcare.scheduler.availability.AvailabilityService;
import com.royalcare.scheduler.availability.SlotDraft;
import com.royalcare.scheduler.availability.SlotTimes;
import com.royalcare.scheduler.booking.AppointmentRequest;
import com.royalcare.scheduler.booking.AppointmentService;
import com.royalcare.scheduler.booking.BookingRefusal;
import com.royalcare.scheduler.booking.CatalogService;
import com.royalcare.scheduler.booking.Client;
import com.royalcare.scheduler.booking.Money;
import com.royalcare.scheduler.booking.Treatment;
import com.royalcare.scheduler.config.Config;
import com.royalcare.scheduler.staff.Role;
import com.royalcare.scheduler.staff.Staff;
import com.royalcare.scheduler.staff.StaffDraft;
import com.royalcare.scheduler.staff.StaffOutcome;
import com.royalcare.scheduler.staff.StaffService;
import com.royalcare.scheduler.web.Caller;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The first operator account, and (with DEMO_DATA) a few staff with availability so the pages show something. */
public final class DemoData {

    private record DemoStaff(String username, String name, Role role, String pressure, String plate, String specialization) {
    }

    private static final List<DemoStaff> STAFF = List.of(
            new DemoStaff("anna", "Anna Reyes", Role.THERAPIST, "moderate", null, "Swedish, aromatherapy"),
            new DemoStaff("bea", "Bea Santos", Role.THERAPIST, "hard", null, "Shiatsu, deep tissue"),
            new DemoStaff("carla", "Carla Mendoza", Role.THERAPIST, "soft", null, "Hilot, prenatal"),
            new DemoStaff("dan", "Dan Cruz", Role.DRIVER, null, "NAB 1234", null),
            new DemoStaff("eli", "Eli Garcia", Role.DRIVER, null, "ZTE 5678", null));

    /** The demo slots are written as the first operator. */
    private record Seeder(long id) implements Caller {
        @Override
        public boolean isOperator() {
            return true;
        }
    }

    /** An assigned therapist or driver answering a demo visit. */
    private record Assignee(long id) implements Caller {
        @Override
        public boolean isOperator() {
            return false;
        }
    }

    /** What the demo bookings are made through. */
    private record Parts(StaffService staff, AvailabilityService availability, CatalogService catalog, AppointmentService appointments) {
    }

    private DemoData() {
    }

    /** Creates the first operator and, when asked, the demo staff; returns lines worth printing once. */
    public static List<String> seed(Config config, StaffService staff, AvailabilityService availability, CatalogService catalog,
                                    AppointmentService appointments, Clock clock) {
        List<String> lines = new ArrayList<>();
        String password = config.initialOperatorPassword() != null ? config.initialOperatorPassword() : randomPassword();
        boolean created = staff.createIfEmpty(
                new StaffDraft("operator", "Operator", Role.OPERATOR, true, null, null, null, null), password);
        if (created) {
            lines.add(config.initialOperatorPassword() != null
                    ? "Created the operator account 'operator' with the password from INITIAL_OPERATOR_PASSWORD."
                    : "Created the operator account 'operator' with password: " + password + "  (shown once; change it)");
        }
        if (config.demoData()) lines.addAll(seedDemo(config, new Parts(staff, availability, catalog, appointments), clock));
        return lines;
    }

    private static List<String> seedDemo(Config config, Parts parts, Clock clock) {
        StaffService staffService = parts.staff();
        AvailabilityService availability = parts.availability();
        List<String> lines = new ArrayList<>();
        Staff operator = staffService.list(Role.OPERATOR, true).items().stream().findFirst().orElseThrow();
        Caller system = new Seeder(operator.id());
        LocalDate today = LocalDate.now(clock.withZone(config.businessZone()));
        int n = 0;
        for (DemoStaff d : STAFF) {
            n++;
            String password = d.username() + "-demo";
            lines.add("Demo " + d.role().wire() + ": sign in as '" + d.username() + "' with password '" + password + "'");
            if (staffService.list(null, null).items().stream().anyMatch(x -> x.username().equals(d.username()))) continue;
            StaffOutcome.OfCreate outcome = staffService.create(new StaffDraft(d.username(), d.name(), d.role(), true,
                    "+63 917 000 00" + n, d.specialization(), d.pressure(), d.plate()), password, operator.id());
            if (!(outcome instanceof StaffOutcome.Saved saved)) continue; // another node seeded it at the same moment
            Staff staff = saved.staff();
            for (int day = 0; day < 7; day++) {
                int shift = (n + day) % 3;
                LocalTime start = LocalTime.of(shift == 0 ? 9 : shift == 1 ? 13 : 17, 0);
                LocalTime end = shift == 2 ? LocalTime.of(1, 0) : start.plusHours(5);
                try {
                    availability.create(system, staff.id(), new SlotDraft(new SlotTimes(today.plusDays(day), start, end), true, "Demo"));
                } catch (AvailabilityRefusal ignored) {
                    // an overnight slot from the day before may already cover it; demo data is best effort
                }
            }
        }
        seedBookings(parts, system, today);
        return lines;
    }

    private record DemoVisit(int day, String client, String service, String therapist, String driver, LocalTime start, String status) {
    }

    /**
     * Services, clients and a few appointments in various states for today and the next days, booked through
     * the real services (so the rules apply; a visit that does not fit is skipped). Runs only on an empty menu.
     */
    private static void seedBookings(Parts s, Caller operator, LocalDate today) {
        if (!s.catalog().services().items().isEmpty()) return;
        List<Treatment> menu = new ArrayList<>();
        try {
            menu.add(s.catalog().createService(operator, new Treatment(0, "Swedish massage", 60, Money.of("800.00"), true)));
            menu.add(s.catalog().createService(operator, new Treatment(0, "Shiatsu", 90, Money.of("1200.00"), true)));
            menu.add(s.catalog().createService(operator, new Treatment(0, "Foot reflexology", 60, Money.of("650.00"), true)));
        } catch (BookingRefusal seededElsewhere) {
            return; // another node seeded the menu at the same moment
        }
        List<Client> clients = new ArrayList<>();
        String[][] people = {
                {"Maria Santos", "+639171234501", "12 Jupiter St, Bel-Air, Makati"},
                {"Jose Rizal Jr.", "+639171234502", "45 Katipunan Ave, Quezon City"},
                {"Liza Tan", "+639171234503", "8 Bonifacio High St, Taguig"},
                {"Ramon Villanueva", "+639171234504", "221 Ortigas Ave, Pasig"}};
        for (String[] p : people) {
            clients.add(s.catalog().createClient(operator, new Client(0, p[0], p[1], p[2], null, null, null)));
        }
        Map<String, Long> staff = new java.util.HashMap<>();
        s.staff().list(null, true).items().forEach(x -> staff.put(x.username(), x.id()));
        Map<String, Treatment> byName = new java.util.HashMap<>();
        menu.forEach(t -> byName.put(t.name(), t));
        List<DemoVisit> visits = List.of(
                new DemoVisit(0, "Maria Santos", "Swedish massage", "anna", "dan", null, "confirmed"),
                new DemoVisit(0, "Jose Rizal Jr.", "Shiatsu", "bea", null, null, "pending"),
                new DemoVisit(0, "Liza Tan", "Foot reflexology", "carla", "eli", null, "in_progress"),
                new DemoVisit(1, "Ramon Villanueva", "Shiatsu", "anna", null, null, "rejected"),
                new DemoVisit(1, "Maria Santos", "Foot reflexology", "bea", "dan", null, "pending"),
                new DemoVisit(2, "Liza Tan", "Swedish massage", "carla", null, null, "confirmed"));
        for (DemoVisit v : visits) {
            Long therapist = staff.get(v.therapist());
            Long driver = v.driver() == null ? null : staff.get(v.driver());
            if (therapist == null) continue;
            Client client = clients.stream().filter(c -> c.name().equals(v.client())).findFirst().orElseThrow();
            LocalDate date = today.plusDays(v.day());
            LocalTime start = firstFreeStart(s, therapist, date);
            if (start == null) continue;
            try {
                var booked = s.appointments().create(operator, new AppointmentRequest(client.id(), List.of(byName.get(v.service()).id()),
                        List.of(therapist), driver, date, start, null, null, null, true));
                advance(s, booked.id(), v.status(), operator, therapist, driver);
            } catch (BookingRefusal doesNotFit) {
                // best effort: the demo staff's slots or other visits may leave no room
            }
        }
    }

    /** The start of the therapist's first available slot that day plus an hour, or null. */
    private static LocalTime firstFreeStart(Parts s, long staffId, LocalDate date) {
        Caller anyone = new Seeder(0);
        return s.availability().list(anyone, staffId, date, date).items().stream()
                .filter(x -> x.available()).map(x -> x.start().plusHours(1)).findFirst().orElse(null);
    }

    private static void advance(Parts s, long id, String status, Caller operator, long therapist, Long driver) {
        Caller t = new Assignee(therapist);
        Caller d = driver == null ? null : new Assignee(driver);
        switch (status) {
            case "rejected" -> s.appointments().reject(t, id, "Already have a visit across town at that time");
            case "confirmed", "in_progress" -> {
                s.appointments().accept(t, id);
                if (d != null) s.appointments().accept(d, id);
                if (status.equals("in_progress")) s.appointments().start(t, id);
            }
            default -> { }
        }
    }

    private static String randomPassword() {
        byte[] raw = new byte[12];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
