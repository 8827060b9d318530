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

    /** Called for every subscriber a change is offered to, so plain loops: no stream or lambda per call. */
    boolean matches(Change c) {
        if (types != null && !types.contains(c.type())) return false;
        Set<Long> about = c.audience().staffIds();
        if (staffIds != null && !about.isEmpty() && !anyAsked(about)) return false;
        if ((from != null || to != null) && !c.dates().isEmpty()) {
            for (LocalDate d : c.dates()) if (inRange(d)) return true;
            return false;
        }
        return true;
    }

    private boolean anyAsked(Set<Long> about) {
        for (Long id : about) if (staffIds.contains(id)) return true;
        return false;
    }

    private boolean inRange(LocalDate d) {
        return (from == null || !d.isBefore(from)) && (to == null || !d.isAfter(to));
    }
}
