package com.royalcare.scheduler.availability;

import org.jdbi.v3.core.Handle;

import java.util.List;

/**
 * What availability needs to know about bookings, defined here so that availability does not depend
 * on the booking feature (booking implements it; App wires it). Both calls run in the caller's transaction.
 */
public interface Bookings {

    /** An appointment that holds a staff member's time over {@code interval}. */
    record Held(long appointmentId, SlotTimes.Interval interval) {
    }

    /** Pending or confirmed appointments of {@code staffId}, booked within availability (not forced), overlapping {@code window}. */
    List<Held> needingAvailability(Handle h, long staffId, SlotTimes.Interval window);

    /** Every visit holding {@code staffId}'s time (pending, confirmed, in progress, not rejected by them) overlapping {@code window}. */
    List<Held> holdingTime(Handle h, long staffId, SlotTimes.Interval window);

    /** Whether {@code staffId} has an appointment holding their time within the travel buffer of {@code wanted}. */
    boolean busy(Handle h, long staffId, SlotTimes.Interval wanted);

    /** No bookings at all (tools and tests that run availability alone). */
    Bookings NONE = new Bookings() {
        @Override
        public List<Held> needingAvailability(Handle h, long staffId, SlotTimes.Interval window) {
            return List.of();
        }

        @Override
        public List<Held> holdingTime(Handle h, long staffId, SlotTimes.Interval window) {
            return List.of();
        }

        @Override
        public boolean busy(Handle h, long staffId, SlotTimes.Interval wanted) {
            return false;
        }
    };
}
