package com.royalcare.scheduler.staff;

import java.util.Optional;

/**
 * A partial edit from PATCH /api/staff/{id}. An absent field is {@code null} here and keeps its
 * value; an empty Optional means the field was sent as null and is cleared.
 */
public record StaffEdit(String name, Boolean active, Optional<String> phone, Optional<String> specialization,
                        Optional<String> pressure, Optional<String> vehiclePlate, String password) {

    Staff applyTo(Staff s) {
        return new Staff(s.id(), s.username(),
                name != null ? name : s.name(), s.role(),
                active != null ? active : s.active(),
                phone != null ? phone.orElse(null) : s.phone(),
                specialization != null ? specialization.orElse(null) : s.specialization(),
                pressure != null ? pressure.orElse(null) : s.pressure(),
                vehiclePlate != null ? vehiclePlate.orElse(null) : s.vehiclePlate());
    }
}
