package com.royalcare.scheduler.sync;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may see a change. Operators always may; besides them, either every signed-in person
 * ({@link #everyone()}: {@code allStaff}, e.g. a global refresh) or exactly the staff members listed (possibly none:
 * {@link #operators()}, e.g. a client record). Features decide the audience; sync only enforces it.
 */
public record Audience(boolean allStaff, Set<Long> staffIds) {

    private static final Audience EVERYONE = new Audience(true, Set.of());
    private static final Audience OPERATORS = new Audience(false, Set.of());

    public Audience {
        // sorted, so the stored and the sent forms are stable
        staffIds = staffIds == null ? Set.of() : java.util.Collections.unmodifiableSortedSet(new TreeSet<>(staffIds));
        if (allStaff && !staffIds.isEmpty()) throw new IllegalArgumentException("an audience of everyone lists nobody");
    }

    public static Audience everyone() {
        return EVERYONE;
    }

    public static Audience operators() {
        return OPERATORS;
    }

    public static Audience of(long staffId) {
        return new Audience(false, Set.of(staffId));
    }

    public static Audience of(Collection<Long> staffIds) {
        return new Audience(false, Set.copyOf(staffIds));
    }

    /** Whether a non-operator with this id may see the change. */
    boolean includes(long staffId) {
        return allStaff || staffIds.contains(staffId);
    }

    /** The one staff member this concerns, or null when it concerns none or several. */
    Long single() {
        return staffIds.size() == 1 ? staffIds.iterator().next() : null;
    }
}
