package com.royalcare.scheduler.sync;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongConsumer;

/**
 * Hears other nodes' commits: a dedicated connection LISTENs on {@value ChangeLog#CHANNEL} and passes
 * each notification's seq on as a wake-up. Notifications are only a hint — the dispatcher reads the
 * log — so a lost connection costs latency, not data: it reconnects with backoff and asks for a read
 * (changes committed while it was away) every time it (re)connects.
 */
final class PgListener implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
    private static final int WAIT_MS = 250;
    private static final long PROBE_EVERY_MS = 10_000;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final DataSource dataSource;
    private final LongConsumer wake;
    private volatile boolean running = true;

    /** @param wake called with a notified seq, or 0 for "read the log, something may have been missed" */
    PgListener(DataSource dataSource, LongConsumer wake) {
        this.dataSource = dataSource;
        this.wake = wake;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        long backoff = 100;
        while (running) {
            try (Connection c = dataSource.getConnection()) {
                listen(c);
                backoff = 100;
            } catch (SQLException | RuntimeException e) {
                if (!running) return;
                LOG.warn("Change notifications lost ({}); reconnecting in {} ms. Other nodes' changes arrive within the safety-read interval meanwhile.",
                        e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff); // backoff between reconnect attempts on this dedicated thread
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    private void listen(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + ChangeLog.CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        wake.accept(0);
        long nextProbe = System.currentTimeMillis() + PROBE_EVERY_MS;
        try {
            while (running) {
                PGNotification[] notes = pg.getNotifications(WAIT_MS);
                if (notes != null) {
                    for (PGNotification n : notes) wake.accept(parse(n.getParameter()));
                }
                if (System.currentTimeMillis() >= nextProbe) {
                    try (Statement st = c.createStatement()) {
                        st.execute("SELECT 1"); // a silently dead connection would otherwise never report an error
                    }
                    nextProbe = System.currentTimeMillis() + PROBE_EVERY_MS;
                }
            }
        } finally {
            if (!c.isClosed()) {
                try (Statement st = c.createStatement()) {
                    st.execute("UNLISTEN *"); // the connection goes back to the pool
                } catch (SQLException ignored) {
                    // a broken connection is discarded by the pool anyway
                }
            }
        }
    }

    private static long parse(String payload) {
        try {
            return Long.parseLong(payload);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
