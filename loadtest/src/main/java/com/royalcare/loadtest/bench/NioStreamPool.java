package com.royalcare.loadtest.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Streams on raw NIO: a few selector threads, each owning its connections for their whole life.
 * A connection keeps read interest for good (level-triggered) and reads until a short read, so an
 * event costs a share of one {@code epoll_wait} and one {@code read} (Jetty's client also issues a
 * read that finds nothing). Used as a cross-check of the Jetty-based client: two independent
 * clients that report the same latency show the tool is not what is measured. Speaks just what an SSE response needs: HTTP/1.1 GET, status line and headers, then a
 * chunked, fixed-length or until-close body.
 */
final class NioStreamPool extends StreamPool {

    private static final int READ_BUFFER = 64 * 1024;

    private final Loop[] loops;

    NioStreamPool(Target target, Ledger ledger, int count, int selectors, int connectConcurrency) throws IOException {
        super(target, ledger, count, connectConcurrency);
        loops = new Loop[selectors];
        for (int i = 0; i < selectors; i++) {
            loops[i] = new Loop("bench-nio-" + i);
            loops[i].thread.start();
        }
    }

    @Override
    protected Subscriber newSubscriber(int index, int channel) {
        return new Conn(index, channel, loops[index % loops.length]);
    }

    @Override
    protected void stop() throws Exception {
        for (Loop loop : loops) {
            loop.execute(() -> loop.running = false);
        }
        for (Loop loop : loops) {
            loop.thread.join(10_000);
            loop.selector.close();
        }
    }

    /** One selector thread; every connection's state is touched only from its loop's thread. */
    private static final class Loop implements Runnable {
        final Selector selector;
        final Thread thread;
        final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER); // heap: the parser scans its array
        volatile boolean running = true;

        Loop(String name) throws IOException {
            selector = Selector.open();
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        void execute(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        @Override
        public void run() {
            while (running) {
                try {
                    selector.select(1_000);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    ((Conn) key.attachment()).ready(key);
                }
            }
        }
    }

    private static final int CONNECTING = 0;
    private static final int SENDING = 1;
    private static final int HEAD = 2;
    private static final int BODY = 3;
    private static final int CLOSED = 4;

    // chunked-body decoder states
    private static final int CHUNK_SIZE = 0;
    private static final int CHUNK_EXT = 1;
    private static final int CHUNK_DATA = 2;
    private static final int CHUNK_DATA_END = 3;
    private static final int CHUNK_TRAILER = 4;

    private final class Conn extends Subscriber {
        private final Loop loop;
        private SocketChannel channel;
        private ByteBuffer request;
        private int phase = CLOSED;
        private boolean holdsPermit;
        private boolean wasOpen;
        private byte[] head;
        private int headLength;
        private boolean chunked;
        private long contentRemaining; // -1: until the server closes
        private int chunkState;
        private long chunkRemaining;
        private boolean trailerLineEmpty;

        Conn(int index, int channel, Loop loop) {
            super(index, channel);
            this.loop = loop;
        }

        @Override
        void open(String lastEventId, boolean withPermit) {
            StreamSpec spec = spec(lastEventId);
            loop.execute(() -> connect(spec, withPermit));
        }

        @Override
        void abort() {
            loop.execute(() -> close(null, false));
        }

        private void connect(StreamSpec spec, boolean withPermit) {
            if (phase != CLOSED) {
                close(null, false);
            }
            holdsPermit = withPermit;
            wasOpen = false;
            phase = CONNECTING;
            head = new byte[512];
            headLength = 0;
            chunked = false;
            contentRemaining = -1;
            chunkState = CHUNK_SIZE;
            chunkRemaining = 0;
            URI uri = spec.uri();
            int port = uri.getPort() > 0 ? uri.getPort() : 80;
            StringBuilder req = new StringBuilder(256)
                    .append("GET ").append(uri.getRawPath())
                    .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getHost()).append(':').append(port).append("\r\n");
            spec.headers().forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            request = ByteBuffer.wrap(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (channel.connect(new InetSocketAddress(uri.getHost(), port))) {
                    phase = SENDING;
                    channel.register(loop.selector, SelectionKey.OP_WRITE, this);
                } else {
                    channel.register(loop.selector, SelectionKey.OP_CONNECT, this);
                }
            } catch (IOException | RuntimeException e) {
                close("connect failed: " + e, true);
            }
        }

        void ready(SelectionKey key) {
            try {
                if (!key.isValid()) {
                    return;
                }
                if (phase == CONNECTING && key.isConnectable()) {
                    channel.finishConnect();
                    phase = SENDING;
                    key.interestOps(SelectionKey.OP_WRITE);
                }
                if (phase == SENDING && key.isWritable()) {
                    channel.write(request);
                    if (!request.hasRemaining()) {
                        phase = HEAD;
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    return;
                }
                if ((phase == HEAD || phase == BODY) && key.isReadable()) {
                    read();
                }
            } catch (IOException | RuntimeException e) {
                close(e.toString(), true);
            }
        }

        private void read() throws IOException {
            ByteBuffer buf = loop.readBuffer;
            while (phase == HEAD || phase == BODY) {
                buf.clear();
                int n = channel.read(buf);
                if (n < 0) {
                    close(wasOpen ? null : "connection closed before the response", true);
                    return;
                }
                if (n == 0) {
                    return;
                }
                arrivalNanos = System.nanoTime();
                bytes.add(n);
                buf.flip();
                if (phase == HEAD) {
                    readHead(buf);
                }
                if (phase == BODY && buf.hasRemaining()) {
                    readBody(buf);
                }
                if (n < buf.capacity()) {
                    return; // drained the socket; level-triggered select brings us back for more
                }
            }
        }

        private void readHead(ByteBuffer buf) {
            while (buf.hasRemaining()) {
                byte b = buf.get();
                if (headLength == head.length) {
                    if (headLength >= 64 * 1024) {
                        throw new IllegalStateException("response head over 64 KiB");
                    }
                    head = java.util.Arrays.copyOf(head, headLength * 2);
                }
                head[headLength++] = b;
                if (b == '\n' && headLength >= 4 && head[headLength - 2] == '\r' && head[headLength - 3] == '\n'
                        && head[headLength - 4] == '\r') {
                    parseHead();
                    return;
                }
            }
        }

        private void parseHead() {
            String text = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
            head = null;
            String[] lines = text.split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            int status = statusLine.length >= 2 ? Integer.parseInt(statusLine[1]) : 0;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                } else if (name.equals("content-length")) {
                    contentRemaining = Long.parseLong(value);
                }
            }
            releasePermit();
            if (!answered(status)) {
                close(null, true);
                return;
            }
            wasOpen = true;
            phase = BODY;
        }

        private void readBody(ByteBuffer buf) {
            if (!chunked) {
                if (contentRemaining >= 0) {
                    int n = (int) Math.min(buf.remaining(), contentRemaining);
                    feed(buf, n);
                    contentRemaining -= n;
                    if (contentRemaining == 0) {
                        close(null, true);
                    }
                } else {
                    feed(buf, buf.remaining());
                }
                return;
            }
            while (buf.hasRemaining() && phase == BODY) {
                switch (chunkState) {
                    case CHUNK_SIZE -> {
                        byte b = buf.get();
                        int digit = Character.digit(b, 16);
                        if (digit >= 0) {
                            chunkRemaining = chunkRemaining * 16 + digit;
                        } else if (b == ';') {
                            chunkState = CHUNK_EXT;
                        } else if (b == '\n') {
                            endOfSizeLine();
                        } else if (b != '\r' && b != ' ' && b != '\t') {
                            throw new IllegalStateException("bad chunk size byte " + b);
                        }
                    }
                    case CHUNK_EXT -> {
                        if (buf.get() == '\n') {
                            endOfSizeLine();
                        }
                    }
                    case CHUNK_DATA -> {
                        int n = (int) Math.min(buf.remaining(), chunkRemaining);
                        feed(buf, n);
                        chunkRemaining -= n;
                        if (chunkRemaining == 0) {
                            chunkState = CHUNK_DATA_END;
                        }
                    }
                    case CHUNK_DATA_END -> {
                        if (buf.get() == '\n') {
                            chunkState = CHUNK_SIZE;
                        }
                    }
                    case CHUNK_TRAILER -> {
                        byte b = buf.get();
                        if (b == '\n') {
                            if (trailerLineEmpty) {
                                close(null, true); // the server ended the response
                                return;
                            }
                            trailerLineEmpty = true;
                        } else if (b != '\r') {
                            trailerLineEmpty = false;
                        }
                    }
                    default -> throw new IllegalStateException("chunk state " + chunkState);
                }
            }
        }

        private void endOfSizeLine() {
            if (chunkRemaining == 0) {
                chunkState = CHUNK_TRAILER;
                trailerLineEmpty = true;
            } else {
                chunkState = CHUNK_DATA;
            }
        }

        private void feed(ByteBuffer buf, int n) {
            int limit = buf.limit();
            buf.limit(buf.position() + n);
            parser.feed(buf);
            buf.limit(limit);
        }

        private void releasePermit() {
            if (holdsPermit) {
                holdsPermit = false;
                connecting.release();
            }
        }

        /** Closes the connection; {@code notify}: report the end (and maybe reconnect). */
        private void close(String failure, boolean notify) {
            if (phase == CLOSED) {
                return;
            }
            phase = CLOSED;
            releasePermit();
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            channel = null;
            boolean opened = wasOpen;
            wasOpen = false;
            if (notify) {
                ended(opened, failure);
            } else if (opened) {
                streamsOpen.decrementAndGet(); // closed by us: no reconnect
            }
        }
    }
}
