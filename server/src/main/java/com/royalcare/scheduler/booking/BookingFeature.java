package com.royalcare.scheduler.booking;

import com.royalcare.scheduler.availability.AvailabilityRepository;
import com.royalcare.scheduler.availability.Bookings;
import com.royalcare.scheduler.config.Config;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.idempotency.IdempotencyKeys;
import com.royalcare.scheduler.staff.StaffRepository;
import com.royalcare.scheduler.sync.ChangeLog;

import java.time.Clock;

/** The booking feature's parts, built once by App: the services, the HTTP handler and availability's view of bookings. */
public record BookingFeature(CatalogService catalog, AppointmentService appointments, BookingHandler handler, Bookings bookings) {

    public static BookingFeature build(Database db, StaffRepository staff, AvailabilityRepository slots, ChangeLog changes,
                                       Config config, Clock clock, IdempotencyKeys idempotency) {
        TreatmentRepository treatments = new TreatmentRepository.Jdbc(clock);
        ClientRepository clients = new ClientRepository.Jdbc(clock);
        AppointmentRepository appointments = new AppointmentRepository.Jdbc();
        CatalogService catalog = new CatalogService(db, treatments, clients, changes);
        AppointmentService service = new AppointmentService(db, appointments, treatments, clients, staff, slots, changes,
                config.businessZone(), clock, config.bookingResponse(), config.travelBuffer());
        return new BookingFeature(catalog, service, new BookingHandler(catalog, service, idempotency),
                new AppointmentBookings(appointments, config.travelBuffer()));
    }
}
