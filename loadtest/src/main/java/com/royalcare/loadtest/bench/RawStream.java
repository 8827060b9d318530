package com.royalcare.loadtest.bench;

import com.royalcare.testkit.SseParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One event stream on a plain blocking socket, read as fast or as slowly as the caller likes: the
 * slow consumer of issue 5 reads it at 1 KB/s, the catch-up drill as fast as it can. Speaks just
 * what an SSE response needs (HTTP/1.1 GET; chunked, fixed-length or until-close body) and feeds
 * the body to an {@link SseParser}.
 */
final class RawStream implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final SseParser parser;
    private boolean chunked;
    private long contentRemaining = -1;
    private long chunkRemaining;
    private boolean ended;
    long rawBytes;
    int status;

    /**
     * Connects and reads the response head.
     *
     * @param receiveBuffer SO_RCVBUF in bytes, or 0 for the system's default
     */
    RawStream(StreamSpec spec, int receiveBuffer, SseParser parser, int connectTimeoutMs) throws IOException {
        this.parser = parser;
        URI uri = spec.uri();
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connect: it sets the window scale
        }
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(uri.getHost(), port), connectTimeoutMs);
        StringBuilder req = new StringBuilder(256).append("GET ").append(uri.getRawPath())
                .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(':').append(port).append("\r\n");
        spec.headers().forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        OutputStream out = socket.getOutputStream();
        out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        in = socket.getInputStream();
        readHead();
    }

    /** Read timeout for each blocking read (0: none). */
    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    private void readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!(head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n"))) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            rawBytes++;
            head.append((char) b);
            if (head.length() > 65_536) {
                throw new IOException("response head over 64 KiB");
            }
        }
        String[] lines = head.toString().split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        status = statusLine.length >= 2 ? Integer.parseInt(statusLine[1]) : 0;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (name.equals("transfer-encoding") && value.contains("chunked")) {
                chunked = true;
            } else if (name.equals("content-length")) {
                contentRemaining = Long.parseLong(value);
            }
        }
    }

    /**
     * Reads at most {@code max} bytes from the socket (one read call, blocking until some arrive),
     * feeds the body bytes among them to the parser, and returns how many bytes were read; -1 when
     * the response or the connection has ended.
     */
    int read(byte[] buffer, int max) throws IOException {
        if (ended) {
            return -1;
        }
        int n = in.read(buffer, 0, Math.min(max, buffer.length));
        if (n < 0) {
            ended = true;
            return -1;
        }
        rawBytes += n;
        if (!chunked) {
            int body = contentRemaining >= 0 ? (int) Math.min(n, contentRemaining) : n;
            parser.feed(buffer, 0, body);
            if (contentRemaining >= 0 && (contentRemaining -= body) == 0) {
                ended = true;
            }
            return n;
        }
        decodeChunked(buffer, 0, n);
        return n;
    }

    // chunked decoding state
    private int chunkState; // 0 size, 1 extension, 2 data, 3 data CRLF, 4 trailer
    private boolean trailerLineEmpty;

    private void decodeChunked(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && !ended) {
            switch (chunkState) {
                case 0 -> {
                    byte c = b[i++];
                    int digit = Character.digit(c, 16);
                    if (digit >= 0) {
                        chunkRemaining = chunkRemaining * 16 + digit;
                    } else if (c == ';') {
                        chunkState = 1;
                    } else if (c == '\n') {
                        chunkState = chunkRemaining == 0 ? 4 : 2;
                        trailerLineEmpty = true;
                    }
                }
                case 1 -> {
                    if (b[i++] == '\n') {
                        chunkState = chunkRemaining == 0 ? 4 : 2;
                        trailerLineEmpty = true;
                    }
                }
                case 2 -> {
                    int n = (int) Math.min(end - i, chunkRemaining);
                    parser.feed(b, i, n);
                    i += n;
                    chunkRemaining -= n;
                    if (chunkRemaining == 0) {
                        chunkState = 3;
                    }
                }
                case 3 -> {
                    if (b[i++] == '\n') {
                        chunkState = 0;
                    }
                }
                default -> {
                    byte c = b[i++];
                    if (c == '\n') {
                        if (trailerLineEmpty) {
                            ended = true;
                        }
                        trailerLineEmpty = true;
                    } else if (c != '\r') {
                        trailerLineEmpty = false;
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
