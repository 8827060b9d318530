package com.royalcare.scheduler.sync;

import java.util.function.Consumer;

/** The most recent published events, by seq, in a fixed-size circular buffer. Not thread-safe (the hub guards it). */
final class Ring {

    private final Event[] slots;
    private long floor;   // the seq just before the oldest event held
    private int size;

    /** @param start the hub's position when it starts: the ring holds nothing yet, so resumes from below it must use the database */
    Ring(int capacity, long start) {
        this.slots = new Event[capacity];
        this.floor = start;
    }

    /** Appends the next event; its seq must be {@code floor + size + 1}. */
    void add(Event e) {
        if (e.seq() != floor + size + 1) throw new IllegalArgumentException("ring expects seq " + (floor + size + 1) + ", got " + e.seq());
        if (size == slots.length) {
            slots[index(floor + 1)] = null;
            floor++;
            size--;
        }
        slots[index(e.seq())] = e;
        size++;
    }

    /** A resume from {@code seq} can be served from memory iff {@code seq >= floor()}. */
    long floor() {
        return floor;
    }

    /** Calls {@code action} for each held event after {@code seq}, oldest first. */
    void forEachAfter(long seq, Consumer<Event> action) {
        long last = floor + size;
        for (long s = Math.max(seq, floor) + 1; s <= last; s++) action.accept(slots[index(s)]);
    }

    private int index(long seq) {
        return (int) Math.floorMod(seq, (long) slots.length);
    }
}
