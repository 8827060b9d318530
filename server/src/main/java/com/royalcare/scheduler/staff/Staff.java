package com.royalcare.scheduler.staff;

/** A staff account as the API shows it (never the password hash). */
public record Staff(long id, String username, String name, Role role, boolean active,
                    String phone, String specialization, String pressure, String vehiclePlate) {
}
