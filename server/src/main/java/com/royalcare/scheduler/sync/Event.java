package com.royalcare.scheduler.sync;

import com.royalcare.scheduler.web.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A change with its event-stream frame, rendered once and shared by every subscriber that gets it.
 *
 * @param committed when its transaction committed, as precisely as this node knows (for the latency histogram)
 */
record Event(Change change, byte[] frame, Instant committed) implements Subscription.Item {

    static Event of(Change c) {
        return of(c, c.at());
    }

    static Event of(Change c, Instant committed) {
        String frame = "id: " + c.seq() + "\nevent: " + c.type() + "\ndata: " + Json.write(c) + "\n\n";
        return new Event(c, frame.getBytes(StandardCharsets.UTF_8), committed);
    }

    long seq() {
        return change.seq();
    }
}
