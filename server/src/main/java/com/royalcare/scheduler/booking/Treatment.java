package com.royalcare.scheduler.booking;

/** A service on the menu ({@code /api/services}): a massage with its length and price. */
public record Treatment(long id, String name, int durationMinutes, Money price, boolean active) {

    static final int MAX_MINUTES = 12 * 60;

    public Treatment {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is required");
        name = name.strip();
        if (durationMinutes < 1 || durationMinutes > MAX_MINUTES) throw new IllegalArgumentException("duration out of range");
        if (price == null) throw new IllegalArgumentException("price is required");
    }
}
