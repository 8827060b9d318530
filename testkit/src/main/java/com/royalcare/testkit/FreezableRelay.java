package com.royalcare.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay between a local port and a server, for testing what a silent network drop does: while
 * {@link #freeze frozen} it forwards nothing in either direction but closes nothing (no FIN, no
 * RST), as when a Wi-Fi link or a NAT entry vanishes; {@link #resume} carries on where it stopped.
 *
 * <p>The relay's own kernel still acknowledges what the server sends until the relay's receive
 * buffer is full, so the upstream sockets get a small receive buffer ({@code upstreamReceiveBuffer})
 * for the server to feel the freeze after a few kilobytes rather than megabytes.
 */
public final class FreezableRelay implements AutoCloseable {

    private static final int CHUNK = 1024;

    private final String targetHost;
    private final int targetPort;
    private final int upstreamReceiveBuffer;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private final AtomicInteger accepted = new AtomicInteger();
    private boolean frozen;
    private volatile boolean closed;

    /** Listens on a free port on the loopback address and relays each connection to {@code targetHost:targetPort}. */
    public FreezableRelay(String targetHost, int targetPort, int upstreamReceiveBuffer) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.upstreamReceiveBuffer = upstreamReceiveBuffer;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon(this::acceptLoop, "relay-accept").start();
    }

    public FreezableRelay(String targetHost, int targetPort) {
        this(targetHost, targetPort, 4096);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}: the server's address as seen through the relay. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Connections accepted so far. */
    public int connections() {
        return accepted.get();
    }

    /** Stops forwarding, in both directions, on every connection, without closing any. */
    public void freeze() {
        synchronized (gate) {
            frozen = true;
        }
    }

    /** Forwards again what was held and what comes next. */
    public void resume() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket server = new Socket();
                server.setReceiveBufferSize(upstreamReceiveBuffer); // before connecting, so the window is set from it
                server.setTcpNoDelay(true);
                server.connect(new InetSocketAddress(targetHost, targetPort), 5000);
                client.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                accepted.incrementAndGet();
                daemon(() -> pump(client, server), "relay-up").start();
                daemon(() -> pump(server, client), "relay-down").start();
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    /** Copies {@code from} to {@code to}, holding still while frozen; an end on one side is passed on to the other. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[CHUNK];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                awaitThawed();
                int n = in.read(buffer);
                awaitThawed();
                if (n < 0) {
                    to.shutdownOutput();
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (SocketException e) {
            closeQuietly(from);
            closeQuietly(to);
        } catch (IOException | InterruptedException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitThawed() throws InterruptedException {
        synchronized (gate) {
            while (frozen && !closed) gate.wait();
        }
    }

    @Override
    public void close() {
        closed = true;
        resume();
        closeQuietly(listener);
        for (Socket s : sockets) closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
