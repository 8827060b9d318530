package com.royalcare.loadtest.bench;

import com.royalcare.testkit.SseEvent;
import com.royalcare.testkit.SseParser;

/**
 * Checks one unfiltered stream of our server against the change log: every seq after the start
 * must arrive exactly once and in order (an operator watching everything sees every change), so a
 * gap is a lost change and a repeat a duplicate. Used across reconnects: resume from
 * {@link #last()} and keep feeding the same tracker. One reading thread at a time.
 */
final class SeqTrack implements SseParser.Listener {

    private volatile long last;
    long events;
    long duplicates;
    long gaps;
    long missing;
    long resets;
    volatile long lastArrivalNanos;

    /** @param after the position the stream starts after (its {@code since}) */
    SeqTrack(long after) {
        this.last = after;
    }

    long last() {
        return last;
    }

    @Override
    public void onEvent(SseEvent e) {
        if (e.type().equals("reset")) {
            resets++;
            return;
        }
        if (e.type().equals("hello") || e.type().equals("heartbeat")) return; // greeting and keep-alives, not changes
        long seq;
        try {
            seq = Long.parseLong(e.id());
        } catch (NumberFormatException ex) {
            return;
        }
        lastArrivalNanos = System.nanoTime();
        if (seq <= last) {
            duplicates++;
            return;
        }
        if (seq > last + 1) {
            gaps++;
            missing += seq - last - 1;
        }
        events++;
        last = seq;
    }
}
