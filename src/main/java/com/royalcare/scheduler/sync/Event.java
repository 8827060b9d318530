package com.royalcare.scheduler.sync;

import com.royalcare.scheduler.web.Json;

import java.nio.charset.StandardCharsets;

/** A change with its event-stream frame, rendered once and shared by every subscriber that gets it. */
record Event(Change change, byte[] frame) implements Subscription.Item {

    static Event of(Change c) {
        String frame = "id: " + c.seq() + "\nevent: " + c.type() + "\ndata: " + Json.write(c) + "\n\n";
        return new Event(c, frame.getBytes(StandardCharsets.UTF_8));
    }

    long seq() {
        return change.seq();
    }
}
