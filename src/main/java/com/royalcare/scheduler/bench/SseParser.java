package com.royalcare.scheduler.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental, allocation-light parser for a {@code text/event-stream} body, following the
 * WHATWG "event stream interpretation" rules: lines end in CRLF, LF or CR; a blank line
 * dispatches; {@code id}, {@code event}, {@code data} and {@code retry} fields; lines starting
 * with ':' are comments. Bytes may arrive split anywhere (also inside a CRLF or a UTF-8 sequence).
 * One instance per stream, driven by a single thread at a time.
 */
public final class SseParser {

    /** Receives parser output. Called on the thread that calls {@link #feed}. */
    public interface Listener {
        void onEvent(SseEvent event);

        default void onComment(String comment) {
        }

        default void onRetry(long millis) {
        }
    }

    private static final int MAX_LINE = 1 << 20;

    private final Listener listener;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lastWasCr;

    private String lastEventId = "";
    private String eventType;
    private boolean hasData;
    /** The common single-line event needs no StringBuilder; further lines go to moreData. */
    private String firstData;
    private StringBuilder moreData;

    public SseParser(Listener listener) {
        this.listener = listener;
    }

    /** The SSE "last event id": what a client sends back as {@code Last-Event-ID} on reconnect. */
    public String lastEventId() {
        return lastEventId;
    }

    /** Consumes all remaining bytes of {@code buffer}. */
    public void feed(ByteBuffer buffer) {
        while (buffer.hasRemaining()) {
            byte b = buffer.get();
            if (b == '\n') {
                if (lastWasCr) {
                    lastWasCr = false; // second half of CRLF
                    continue;
                }
                endLine();
            } else if (b == '\r') {
                lastWasCr = true;
                endLine();
            } else {
                lastWasCr = false;
                if (lineLength == line.length) {
                    if (lineLength >= MAX_LINE) {
                        throw new IllegalStateException("SSE line longer than " + MAX_LINE + " bytes");
                    }
                    line = Arrays.copyOf(line, lineLength * 2);
                }
                line[lineLength++] = b;
            }
        }
    }

    public void feed(byte[] bytes) {
        feed(ByteBuffer.wrap(bytes));
    }

    /** Forget a partial event, e.g. when the connection dropped mid-event; keeps the last id. */
    public void resetPartial() {
        lineLength = 0;
        lastWasCr = false;
        eventType = null;
        hasData = false;
        firstData = null;
        moreData = null;
    }

    private void endLine() {
        int length = lineLength;
        lineLength = 0;
        if (length == 0) {
            dispatch();
            return;
        }
        if (line[0] == ':') {
            listener.onComment(new String(line, 1, length - 1, StandardCharsets.UTF_8).stripLeading());
            return;
        }
        int colon = indexOf(line, length, (byte) ':');
        int nameEnd = colon < 0 ? length : colon;
        int valueStart = colon < 0 ? length : colon + 1;
        if (valueStart < length && line[valueStart] == ' ') {
            valueStart++;
        }
        if (is("data", nameEnd)) {
            String value = new String(line, valueStart, length - valueStart, StandardCharsets.UTF_8);
            if (!hasData) {
                hasData = true;
                firstData = value;
                moreData = null;
            } else {
                if (moreData == null) {
                    moreData = new StringBuilder(firstData.length() * 2).append(firstData);
                }
                moreData.append('\n').append(value);
            }
        } else if (is("event", nameEnd)) {
            eventType = new String(line, valueStart, length - valueStart, StandardCharsets.UTF_8);
        } else if (is("id", nameEnd)) {
            if (indexOf(line, length, (byte) 0) < 0) {
                lastEventId = new String(line, valueStart, length - valueStart, StandardCharsets.UTF_8);
            }
        } else if (is("retry", nameEnd)) {
            long millis = 0;
            for (int i = valueStart; i < length; i++) {
                byte c = line[i];
                if (c < '0' || c > '9') {
                    return;
                }
                millis = millis * 10 + (c - '0');
            }
            if (valueStart < length) {
                listener.onRetry(millis);
            }
        }
        // other field names are ignored, as the spec says
    }

    private void dispatch() {
        if (!hasData) {
            eventType = null; // spec: an event with no data is not dispatched
            return;
        }
        String payload = moreData != null ? moreData.toString() : firstData;
        String type = eventType == null || eventType.isEmpty() ? "message" : eventType;
        hasData = false;
        firstData = null;
        moreData = null;
        eventType = null;
        listener.onEvent(new SseEvent(lastEventId, type, payload));
    }

    private boolean is(String name, int nameLength) {
        if (nameLength != name.length()) {
            return false;
        }
        for (int i = 0; i < nameLength; i++) {
            if (line[i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, int length, byte b) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
