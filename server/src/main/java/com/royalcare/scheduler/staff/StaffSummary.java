package com.royalcare.scheduler.staff;

/**
 * A colleague as therapists and drivers see them: who they are and what they do, nothing to
 * contact or find them by (no phone, no plate, no username). Operators and the person themself get the full {@link Staff}.
 */
public record StaffSummary(long id, String name, Role role, boolean active) {

    static StaffSummary of(Staff s) {
        return new StaffSummary(s.id(), s.name(), s.role(), s.active());
    }
}
