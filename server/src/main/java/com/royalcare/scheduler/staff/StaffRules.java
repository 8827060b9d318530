package com.royalcare.scheduler.staff;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for staff accounts, each in one place. Single-field rules return the problem to show
 * next to the field, so the handler can report every field at once; the role rule needs the whole
 * record and is enforced by {@link StaffService}.
 */
public final class StaffRules {

    public static final int PASSWORD_MAX = 72; // bcrypt ignores what lies beyond 72 bytes
    private static final int PASSWORD_MIN = 8;
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,39}");
    private static final Set<String> PRESSURES = Set.of("soft", "moderate", "hard");

    private StaffRules() {
    }

    static Optional<String> usernameProblem(String username) {
        return USERNAME.matcher(username).matches() ? Optional.empty()
                : Optional.of("must be 3-40 lowercase letters, digits, '.', '_' or '-'");
    }

    public static Optional<String> passwordProblem(String password) {
        return password.length() < PASSWORD_MIN ? Optional.of("must have at least " + PASSWORD_MIN + " characters") : Optional.empty();
    }

    /** The pressure as stored (lowercase), or empty when it is not one of soft, moderate, hard. */
    static Optional<String> pressure(String raw) {
        String p = raw.toLowerCase(Locale.ROOT);
        return PRESSURES.contains(p) ? Optional.of(p) : Optional.empty();
    }

    static final String PRESSURE_PROBLEM = "must be soft, moderate or hard";

    /** Only therapists have a massage pressure and only drivers a vehicle plate: the first field that breaks this. */
    static Optional<StaffOutcome.WrongRoleField> wrongRoleField(Role role, String pressure, String vehiclePlate) {
        if (pressure != null && role != Role.THERAPIST) return Optional.of(new StaffOutcome.WrongRoleField(StaffOutcome.WrongRoleField.Field.PRESSURE));
        if (vehiclePlate != null && role != Role.DRIVER) {
            return Optional.of(new StaffOutcome.WrongRoleField(StaffOutcome.WrongRoleField.Field.VEHICLE_PLATE));
        }
        return Optional.empty();
    }
}
