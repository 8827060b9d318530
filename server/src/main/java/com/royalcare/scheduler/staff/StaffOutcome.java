package com.royalcare.scheduler.staff;

/** What a staff write came to. The handler alone turns each outcome into an HTTP answer. */
public sealed interface StaffOutcome {

    /** The outcomes of {@link StaffService#create}. */
    sealed interface OfCreate extends StaffOutcome {
    }

    /** The outcomes of {@link StaffService#update}. */
    sealed interface OfUpdate extends StaffOutcome {
    }

    /** The outcomes of {@link StaffService#unlock}. */
    sealed interface OfUnlock extends StaffOutcome {
    }

    record Saved(Staff staff) implements OfCreate, OfUpdate {
    }

    record UsernameTaken(String username) implements OfCreate {
    }

    /** The account has a field its role may not have (a driver with a massage pressure). */
    record WrongRoleField(Field field) implements OfCreate, OfUpdate {
        public enum Field { PRESSURE, VEHICLE_PLATE }
    }

    record NotFound(long id) implements OfUpdate, OfUnlock {
    }

    /** The lock is lifted; the account as operators now see it (no lock). */
    record Unlocked(StaffAccount account) implements OfUnlock {
    }

    record CannotDisableSelf() implements OfUpdate {
    }
}
