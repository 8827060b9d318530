package com.royalcare.scheduler.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.royalcare.scheduler.web.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream's own chunks, decoded the way a client decodes a chunked body: after Jetty's first chunk
 * (the greeting, its CRLF still owed), any number of ours, then Jetty's last chunk, must give back
 * exactly the bytes that were framed.
 */
class ChunksTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 255, 4096, 70_000})
    void jetty_first_chunk_then_ours_then_jetty_last_chunk_decode_to_the_bytes(int size) {
        byte[] greeting = "retry: 2000\n\n".getBytes(StandardCharsets.US_ASCII);
        byte[] ours = new byte[size];
        for (int i = 0; i < size; i++) ours[i] = (byte) ('a' + i % 26);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes((Integer.toHexString(greeting.length) + "\r\n").getBytes(StandardCharsets.US_ASCII)); // as Jetty writes it
        wire.writeBytes(greeting);
        wire.writeBytes(Chunks.frame(ours));
        wire.writeBytes(Chunks.frame(greeting));
        wire.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)); // Jetty's last chunk

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(greeting);
        expected.writeBytes(ours);
        expected.writeBytes(greeting);
        assertThat(decode(wire.toByteArray())).isEqualTo(expected.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void an_events_chunk_holds_exactly_its_frame(boolean live) {
        ObjectNode data = Json.MAPPER.createObjectNode().put("note", "Ünïcödé ✓");
        Change change = new Change(4711, "availability_created", Instant.now(), 1L, Audience.of(3L), List.of(), data, null);
        Event e = live ? Event.of(change, Instant.now()) : Event.of(change);

        byte[] frame = bytes(e.wire());
        assertThat(new String(frame, StandardCharsets.UTF_8)).startsWith("id: 4711\nevent: availability_created\ndata: {").endsWith("}\n\n");
        byte[] chunk = bytes(e.chunked());
        String head = "\r\n" + Integer.toHexString(frame.length) + "\r\n";
        assertThat(new String(chunk, 0, head.length(), StandardCharsets.US_ASCII)).isEqualTo(head);
        assertThat(ByteBuffer.wrap(chunk, head.length(), chunk.length - head.length())).isEqualTo(ByteBuffer.wrap(frame));
        assertThat(bytes(e.wire())).as("each write gets its own view").isEqualTo(frame);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** A strict chunked-body decoder (RFC 9112 §7.1): size line, data, CRLF, until the zero-size chunk and its empty trailer. */
    private static byte[] decode(byte[] wire) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int i = 0;
        while (true) {
            int lineEnd = indexOfCrlf(wire, i);
            int size = Integer.parseInt(new String(wire, i, lineEnd - i, StandardCharsets.US_ASCII), 16);
            i = lineEnd + 2;
            if (size == 0) {
                assertThat(indexOfCrlf(wire, i)).as("empty trailer section").isEqualTo(i);
                assertThat(i + 2).as("nothing after the last chunk").isEqualTo(wire.length);
                return body.toByteArray();
            }
            body.write(wire, i, size);
            i += size;
            assertThat(new String(wire, i, 2, StandardCharsets.US_ASCII)).as("CRLF after a chunk's data").isEqualTo("\r\n");
            i += 2;
        }
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        throw new AssertionError("no CRLF after " + from);
    }
}
