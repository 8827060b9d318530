package com.royalcare.scheduler.sync;

import com.royalcare.scheduler.web.Json;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A change with its event-stream frame, rendered once and shared by every subscriber that gets it.
 *
 * @param chunk     read-only: the frame as one HTTP/1.1 chunk ({@link Chunks#frame}), so a stream
 *                  writing straight to its connection sends it as it is ({@link #chunked()})
 * @param frame     read-only: the frame alone, the same bytes as inside {@code chunk} ({@link #wire()})
 * @param committed when its transaction committed, as precisely as this node knows (for the latency histogram)
 */
record Event(Change change, ByteBuffer chunk, ByteBuffer frame, Instant committed) implements Subscription.Item {

    /** A change read back from history (a resume): written in batches, so plain heap bytes. */
    static Event of(Change c) {
        byte[] frame = render(c);
        return framed(c, ByteBuffer.wrap(Chunks.frame(frame)), frame.length, c.at());
    }

    /**
     * A change published live. Its frame lives off the heap: a live event goes out to every stream
     * one socket write each, and the kernel can only copy from native memory, so a heap frame would
     * be copied into a temporary native buffer once per stream.
     */
    static Event of(Change c, Instant committed) {
        byte[] frame = render(c);
        byte[] chunk = Chunks.frame(frame);
        return framed(c, ByteBuffer.allocateDirect(chunk.length).put(chunk).flip(), frame.length, committed);
    }

    /** The frame is the chunk's last {@code frameLength} bytes. */
    private static Event framed(Change c, ByteBuffer chunk, int frameLength, Instant committed) {
        ByteBuffer frame = chunk.duplicate();
        frame.position(chunk.limit() - frameLength);
        return new Event(c, chunk.asReadOnlyBuffer(), frame.slice().asReadOnlyBuffer(), committed);
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

    /** A view of the frame as one HTTP/1.1 chunk, for one write. */
    ByteBuffer chunked() {
        return chunk.duplicate();
    }

    /** Appends the frame to a batch being assembled. */
    void appendTo(ByteArrayOutputStream batch) {
        ByteBuffer view = frame.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        batch.writeBytes(bytes);
    }
}
