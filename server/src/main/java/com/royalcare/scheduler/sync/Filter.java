package com.royalcare.scheduler.sync;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * What a subscriber asked for; null means "no restriction". A change with no staffId (or no date)
 * is not about one staff member (or one day), so it passes the staff (or date) restriction. A change
 * whose data carries {@code previousDate} (a slot moved to another day) matches a date range that
 * holds either date.
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
        if (staffIds != null && c.staffId() != null && !staffIds.contains(c.staffId())) return false;
        if ((from != null || to != null) && c.date() != null) {
            return inRange(c.date()) || inRange(previousDate(c.data()));
        }
        return true;
    }

    private boolean inRange(LocalDate d) {
        return d != null && (from == null || !d.isBefore(from)) && (to == null || !d.isAfter(to));
    }

    private static LocalDate previousDate(JsonNode data) {
        JsonNode v = data.get("previousDate");
        if (v == null || !v.isTextual()) return null;
        try {
            return LocalDate.parse(v.textValue());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
