package com.royalcare.scheduler.sync;

import com.royalcare.scheduler.web.Json;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A change with its event-stream frame, rendered once and shared by every subscriber that gets it.
 *
 * @param frame     read-only; every stream writes its own {@link #wire()} view of the same bytes
 * @param committed when its transaction committed, as precisely as this node knows (for the latency histogram)
 */
record Event(Change change, ByteBuffer frame, Instant committed) implements Subscription.Item {

    /** A change read back from history (a resume): written in batches, so plain heap bytes. */
    static Event of(Change c) {
        return new Event(c, ByteBuffer.wrap(render(c)).asReadOnlyBuffer(), c.at());
    }

    /**
     * A change published live. Its frame lives off the heap: a live event goes out to every stream
     * one socket write each, and the kernel can only copy from native memory, so a heap frame would
     * be copied into a temporary native buffer once per stream.
     */
    static Event of(Change c, Instant committed) {
        byte[] bytes = render(c);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return new Event(c, direct.asReadOnlyBuffer(), committed);
    }

    private static byte[] render(Change c) {
        return ("id: " + c.seq() + "\nevent: " + c.type() + "\ndata: " + Json.write(c) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    long seq() {
        return change.seq();
    }

    /** A view of the frame for one write (its own position, the shared bytes). */
    ByteBuffer wire() {
        return frame.duplicate();
    }

    /** Appends the frame to a batch being assembled. */
    void appendTo(ByteArrayOutputStream batch) {
        ByteBuffer view = frame.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        batch.writeBytes(bytes);
    }
}
