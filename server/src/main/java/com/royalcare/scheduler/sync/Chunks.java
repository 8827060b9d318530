package com.royalcare.scheduler.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 chunked transfer coding (RFC 9112 §7.1) for what a stream writes straight to its
 * connection, framed the way Jetty's own {@code HttpGenerator} frames it: a chunk's closing CRLF
 * goes out at the start of the next write, so each write is {@code CRLF<size in hex>CRLF<bytes>}.
 * Jetty wrote the response's head and the greeting as the first chunk, owing its CRLF; each of our
 * chunks pays the CRLF owed and leaves one owed, and the last chunk Jetty writes when the response
 * completes ({@code CRLF 0 CRLF CRLF}) pays the last.
 */
final class Chunks {

    private Chunks() {
    }

    /** {@code bytes} as one chunk, preceded by the previous chunk's end. */
    static byte[] frame(byte[] bytes) {
        byte[] head = ("\r\n" + Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[head.length + bytes.length];
        System.arraycopy(head, 0, chunk, 0, head.length);
        System.arraycopy(bytes, 0, chunk, head.length, bytes.length);
        return chunk;
    }
}
