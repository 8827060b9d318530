package com.royalcare.scheduler.sync;

import java.time.LocalDate;
import java.util.Set;

/**
 * What a subscriber asked for; null means "no restriction". A change that concerns no staff member
 * (or no date) passes the staff (or date) restriction; one that concerns several passes when any of
 * them is asked for.
 */
record Filter(Set<Long> staffIds, LocalDate from, LocalDate to, Set<String> types) {

    static final Filter ALL = new Filter(null, null, null, null);

    Filter {
        staffIds = staffIds == null ? null : Set.copyOf(staffIds);
        types = types == null ? null : Set.copyOf(types);
        if (from != null && to != null && from.isAfter(to)) throw new IllegalArgumentException("from is after to");
    }

    boolean matches(Change c) {
        if (types != null && !types.contains(c.type())) return false;
        Set<Long> about = c.audience().staffIds();
        if (staffIds != null && !about.isEmpty() && about.stream().noneMatch(staffIds::contains)) return false;
        if ((from != null || to != null) && !c.dates().isEmpty()) {
            return c.dates().stream().anyMatch(this::inRange);
        }
        return true;
    }

    private boolean inRange(LocalDate d) {
        return (from == null || !d.isBefore(from)) && (to == null || !d.isAfter(to));
    }
}
