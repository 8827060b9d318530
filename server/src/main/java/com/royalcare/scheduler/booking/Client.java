package com.royalcare.scheduler.booking;

import java.time.Instant;

/** A client (no sign-in of their own). Operators-only: name, phone and address are need-to-know. */
public record Client(long id, String name, String phone, String address, String notes, Instant createdAt, Instant updatedAt) {

    public Client {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        if (phone == null || phone.isBlank()) throw new IllegalArgumentException("phone is required");
        name = name.strip();
        phone = normalisePhone(phone);
    }

    /** Phones compare without spaces, dashes, dots and brackets: "+63 917-000 0001" is "+639170000001". */
    static String normalisePhone(String raw) {
        return raw.strip().replaceAll("[\\s().-]", "");
    }
}
