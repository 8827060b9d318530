package com.royalcare.scheduler.staff;

/** A staff account about to be created (validated by {@link StaffService}). */
public record StaffDraft(String username, String name, Role role, boolean active,
                         String phone, String specialization, String pressure, String vehiclePlate) {
}
