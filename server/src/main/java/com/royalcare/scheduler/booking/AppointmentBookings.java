package com.royalcare.scheduler.booking;

import com.royalcare.scheduler.availability.Bookings;
import com.royalcare.scheduler.availability.SlotTimes;
import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.util.List;

/** Availability's view of bookings: which visits need a person's slots, and who is busy (travel buffer included). */
final class AppointmentBookings implements Bookings {

    private final AppointmentRepository appointments;
    private final Duration travelBuffer;

    AppointmentBookings(AppointmentRepository appointments, Duration travelBuffer) {
        this.appointments = appointments;
        this.travelBuffer = travelBuffer;
    }

    @Override
    public List<Held> needingAvailability(Handle h, long staffId, SlotTimes.Interval window) {
        return appointments.holding(h, staffId, window.start(), window.end()).stream()
                .filter(a -> !a.forced())
                .filter(a -> a.status() == Appointment.Status.PENDING || a.status() == Appointment.Status.CONFIRMED)
                .map(a -> new Held(a.appointmentId(), a.interval()))
                .toList();
    }

    @Override
    public List<Held> holdingTime(Handle h, long staffId, SlotTimes.Interval window) {
        return appointments.holding(h, staffId, window.start(), window.end()).stream()
                .map(a -> new Held(a.appointmentId(), a.interval()))
                .toList();
    }

    @Override
    public boolean busy(Handle h, long staffId, SlotTimes.Interval wanted) {
        List<BookingRules.Busy> near = appointments.holding(h, staffId, wanted.start().minus(travelBuffer), wanted.end().plus(travelBuffer))
                .stream().map(a -> new BookingRules.Busy(a.appointmentId(), a.interval())).toList();
        return BookingRules.clash(wanted, near, travelBuffer).isPresent();
    }
}
