package com.royalcare.loadtest.drill;

import java.time.LocalDate;
import java.util.StringJoiner;

/**
 * What a screen follows: everyone's slots, or one staff member's ({@code staffId}), optionally only
 * the slots whose own date lies in {@code [from, to]}. The same scope selects the stream or poll
 * (server-side filter) and the snapshot it is compared with.
 *
 * @param sendStaffId false for a therapist's or driver's screen that relies on the server's implicit "own data only"
 */
record Scope(Long staffId, LocalDate from, LocalDate to, boolean sendStaffId) {

    static final Scope ALL = new Scope(null, null, null, false);

    static Scope staff(long id) {
        return new Scope(id, null, null, true);
    }

    static Scope dates(LocalDate from, LocalDate to) {
        return new Scope(null, from, to, false);
    }

    /** Query parameters (without {@code ?}), empty when unrestricted. */
    String query() {
        StringJoiner j = new StringJoiner("&");
        if (staffId != null && sendStaffId) j.add("staffId=" + staffId);
        if (from != null) j.add("from=" + from);
        if (to != null) j.add("to=" + to);
        return j.toString();
    }

    /** The same scope, always naming the staff member (for an operator's reference snapshot). */
    String snapshotQuery() {
        return new Scope(staffId, from, to, true).query();
    }

    boolean contains(SlotView s) {
        if (staffId != null && s.staffId() != staffId) return false;
        LocalDate d = LocalDate.parse(s.date());
        return (from == null || !d.isBefore(from)) && (to == null || !d.isAfter(to));
    }

    /** Whether every change a viewer may see reaches this screen (no server-side filtering at all). */
    boolean unfiltered() {
        return staffId == null && from == null && to == null;
    }

    @Override
    public String toString() {
        if (unfiltered()) return "all";
        String q = snapshotQuery();
        return sendStaffId || staffId == null ? q : q + " (implicit)";
    }
}
