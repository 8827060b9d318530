package com.royalcare.testkit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental, allocation-light parser for a {@code text/event-stream} body, following the
 * WHATWG "event stream interpretation" rules: lines end in CRLF, LF or CR; a blank line
 * dispatches; {@code id}, {@code event}, {@code data} and {@code retry} fields; lines starting
 * with ':' are comments. Bytes may arrive split anywhere (also inside a CRLF or a UTF-8 sequence).
 * One instance per stream, driven by a single thread at a time.
 *
 * <p>Besides the events themselves it says what a test or a screen needs to follow a stream the
 * way a browser does: whether the block being reported carried its own {@code id:} field
 * ({@link #blockHadId()}), and when a block ended without data, such as an id-only position mark
 * or a heartbeat comment ({@link Listener#onBlockWithoutData()}). The load tool's hot path pays one
 * boolean per id line for this.
 */
public final class SseParser {

    /** Receives parser output. Called on the thread that calls {@link #feed}. */
    public interface Listener {
        void onEvent(SseEvent event);

        default void onComment(String comment) {
        }

        default void onRetry(long millis) {
        }

        /**
         * A blank line ended a block that had no {@code data:} line, so no event is dispatched
         * (WHATWG): an id-only position mark, a comment such as a heartbeat, a {@code retry:}, or
         * nothing at all. {@link SseParser#blockHadId()} says whether it moved the last event id.
         */
        default void onBlockWithoutData() {
        }
    }

    private static final byte[] LF = {'\n'};

    private static final int MAX_LINE = 1 << 20;

    private final Listener listener;
    private byte[] line = new byte[256];
    /** Per reading thread, not per stream: 10,000 parsers share a few of these. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[8192]);
    private int lineLength;
    private boolean lastWasCr;

    private String lastEventId = "";
    /** The id of the event being read; it becomes the last event id only when that event ends (blank line). */
    private String pendingId = "";
    /** The block being read has an id: field of its own. */
    private boolean idInBlock;
    /** The block being reported (inside a listener call) had an id: field of its own. */
    private boolean reportedBlockHadId;
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

    /**
     * Inside {@link Listener#onEvent} or {@link Listener#onBlockWithoutData}: whether the block
     * being reported had an {@code id:} field of its own. When it had none, the event's id is the
     * one inherited from an earlier block, as the spec says.
     */
    public boolean blockHadId() {
        return reportedBlockHadId;
    }

    /**
     * Consumes one line that a caller already split off (java.net.http's line subscribers split on
     * CRLF, LF and CR exactly as SSE does), without its line end.
     */
    public void feedLine(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        feed(bytes, 0, bytes.length);
        feed(LF, 0, 1);
    }

    /** Consumes all remaining bytes of {@code buffer}. */
    public void feed(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            feed(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            buffer.position(buffer.limit());
            return;
        }
        byte[] scratch = SCRATCH.get();
        while (buffer.hasRemaining()) { // direct buffer: one bulk copy beats get() per byte
            int n = Math.min(scratch.length, buffer.remaining());
            buffer.get(scratch, 0, n);
            feed(scratch, 0, n);
        }
    }

    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /** Consumes {@code length} bytes of {@code bytes} from {@code offset}. */
    public void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            if (lastWasCr) {
                lastWasCr = false;
                if (bytes[i] == '\n') { // second half of CRLF
                    i++;
                    continue;
                }
            }
            int j = i;
            while (j < end && bytes[j] != '\n' && bytes[j] != '\r') {
                j++;
            }
            if (j == end) { // no line end in this chunk: keep the piece for later
                append(bytes, i, j - i);
                return;
            }
            if (lineLength == 0) {
                endLine(bytes, i, j - i); // the whole line is in this chunk: no copy
            } else {
                append(bytes, i, j - i);
                int len = lineLength;
                lineLength = 0;
                endLine(line, 0, len);
            }
            lastWasCr = bytes[j] == '\r';
            i = j + 1;
        }
    }

    private void append(byte[] bytes, int from, int count) {
        if (lineLength + count > line.length) {
            if (lineLength + count > MAX_LINE) {
                throw new IllegalStateException("SSE line longer than " + MAX_LINE + " bytes");
            }
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
        }
        System.arraycopy(bytes, from, line, lineLength, count);
        lineLength += count;
    }

    /**
     * Forget a partial event, e.g. when the connection dropped mid-event; keeps the id of the last
     * complete one. As in the WHATWG rules, an {@code id:} line counts only once its event has
     * ended: resuming after the id of an event that never fully arrived would skip that event.
     */
    public void resetPartial() {
        pendingId = lastEventId;
        idInBlock = false;
        lineLength = 0;
        lastWasCr = false;
        eventType = null;
        hasData = false;
        firstData = null;
        moreData = null;
    }

    private void endLine(byte[] a, int off, int length) {
        if (length == 0) {
            dispatch();
            return;
        }
        if (a[off] == ':') {
            listener.onComment(new String(a, off + 1, length - 1, StandardCharsets.UTF_8).stripLeading());
            return;
        }
        int end = off + length;
        int colon = indexOf(a, off, end, (byte) ':');
        int nameEnd = colon < 0 ? end : colon;
        int valueStart = colon < 0 ? end : colon + 1;
        if (valueStart < end && a[valueStart] == ' ') {
            valueStart++;
        }
        if (is("data", a, off, nameEnd)) {
            String value = new String(a, valueStart, end - valueStart, StandardCharsets.UTF_8);
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
        } else if (is("event", a, off, nameEnd)) {
            eventType = new String(a, valueStart, end - valueStart, StandardCharsets.UTF_8);
        } else if (is("id", a, off, nameEnd)) {
            if (indexOf(a, valueStart, end, (byte) 0) < 0) {
                pendingId = new String(a, valueStart, end - valueStart, StandardCharsets.UTF_8);
                idInBlock = true;
            }
        } else if (is("retry", a, off, nameEnd)) {
            long millis = 0;
            for (int i = valueStart; i < end; i++) {
                byte c = a[i];
                if (c < '0' || c > '9') {
                    return;
                }
                millis = millis * 10 + (c - '0');
            }
            if (valueStart < end) {
                listener.onRetry(millis);
            }
        }
        // other field names are ignored, as the spec says
    }

    private void dispatch() {
        lastEventId = pendingId; // also for an id-only frame: the position moves on
        reportedBlockHadId = idInBlock;
        idInBlock = false;
        if (!hasData) {
            eventType = null; // spec: an event with no data is not dispatched
            listener.onBlockWithoutData();
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

    private static boolean is(String name, byte[] a, int off, int nameEnd) {
        if (nameEnd - off != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (a[off + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
