package com.royalcare.scheduler.demo;

import com.royalcare.scheduler.availability.AvailabilityRefusal;
import com.royalcare.scheduler.availability.AvailabilityService;
import com.royalcare.scheduler.availability.SlotDraft;
import com.royalcare.scheduler.availability.SlotTimes;
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

    private DemoData() {
    }

    /** Creates the first operator and, when asked, the demo staff; returns lines worth printing once. */
    public static List<String> seed(Config config, StaffService staff, AvailabilityService availability, Clock clock) {
        List<String> lines = new ArrayList<>();
        String password = config.initialOperatorPassword() != null ? config.initialOperatorPassword() : randomPassword();
        boolean created = staff.createIfEmpty(
                new StaffDraft("operator", "Operator", Role.OPERATOR, true, null, null, null, null), password);
        if (created) {
            lines.add(config.initialOperatorPassword() != null
                    ? "Created the operator account 'operator' with the password from INITIAL_OPERATOR_PASSWORD."
                    : "Created the operator account 'operator' with password: " + password + "  (shown once; change it)");
        }
        if (config.demoData()) lines.addAll(seedDemo(config, staff, availability, clock));
        return lines;
    }

    private static List<String> seedDemo(Config config, StaffService staffService, AvailabilityService availability, Clock clock) {
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
        return lines;
    }

    private static String randomPassword() {
        byte[] raw = new byte[12];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
