package com.royalcare.scheduler.db;

import com.royalcare.scheduler.config.Config;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The database: connection pools, Flyway, and the two kinds of unit of work the app uses.
 *
 * <p>{@link #write} runs a read-write transaction. On SQLite every writer is serialised through a
 * single connection that opens transactions with {@code BEGIN IMMEDIATE}, so check-then-insert
 * rules (overlap) are race-free and sequence numbers follow commit order. On PostgreSQL the
 * features lock what they check ({@code SELECT … FOR UPDATE}) and the change log's counter row
 * orders commits.
 *
 * <p>{@link #read} runs a consistent snapshot, so a list and the change-log head it returns belong
 * to the same moment.
 */
public final class Database implements AutoCloseable {

    public enum Vendor { SQLITE, POSTGRESQL }

    private final Vendor vendor;
    private final HikariDataSource writePool;
    private final HikariDataSource readPool;
    private final Jdbi writer;
    private final Jdbi reader;
    private final String description;

    private Database(Vendor vendor, HikariDataSource writePool, HikariDataSource readPool, String description) {
        this.vendor = vendor;
        this.writePool = writePool;
        this.readPool = readPool;
        this.writer = Jdbi.create(writePool);
        this.reader = readPool == writePool ? writer : Jdbi.create(readPool);
        this.description = description;
    }

    /** Opens the configured database and brings its schema up to date. */
    public static Database open(Config config) {
        Database db = config.usesPostgres() ? openPostgres(config) : openSqlite(config);
        db.migrate();
        return db;
    }

    private static Database openSqlite(Config config) {
        String url = config.jdbcUrl();
        if (config.databaseUrl() == null) {
            try {
                Files.createDirectories(config.dataDir());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create data directory " + config.dataDir(), e);
            }
        }
        HikariDataSource writePool = sqlitePool(url, "sqlite-write", 1, "IMMEDIATE");
        HikariDataSource readPool = sqlitePool(url, "sqlite-read", 8, "DEFERRED");
        String file = url.substring("jdbc:sqlite:".length());
        return new Database(Vendor.SQLITE, writePool, readPool, "SQLite " + Path.of(file).toAbsolutePath().normalize());
    }

    private static HikariDataSource sqlitePool(String url, String name, int size, String transactionMode) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setJdbcUrl(url);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(1);
        // WAL + synchronous=FULL: a commit that returned is on disk and survives kill -9 or power loss.
        hc.addDataSourceProperty("journal_mode", "WAL");
        hc.addDataSourceProperty("synchronous", "FULL");
        hc.addDataSourceProperty("foreign_keys", "true");
        hc.addDataSourceProperty("busy_timeout", "10000");
        hc.addDataSourceProperty("transaction_mode", transactionMode);
        return new HikariDataSource(hc);
    }

    private static Database openPostgres(Config config) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("postgresql");
        hc.setJdbcUrl(config.databaseUrl());
        if (config.databaseUser() != null) hc.setUsername(config.databaseUser());
        if (config.databasePassword() != null) hc.setPassword(config.databasePassword());
        hc.setMaximumPoolSize(16);
        HikariDataSource pool = new HikariDataSource(hc);
        String where = config.databaseUrl().replaceAll("\\?.*$", "");
        return new Database(Vendor.POSTGRESQL, pool, pool, "PostgreSQL " + where);
    }

    private void migrate() {
        String vendorFolder = vendor == Vendor.SQLITE ? "sqlite" : "postgresql";
        Flyway.configure()
                .dataSource(writePool)
                .locations("classpath:db/migration/" + vendorFolder)
                .load()
                .migrate();
    }

    /** Work registered by {@link #afterRelease} during the current thread's {@link #write}. */
    private static final ThreadLocal<List<Runnable>> AFTER_RELEASE = new ThreadLocal<>();

    /**
     * Runs {@code work} in one read-write transaction; commits on return, rolls back on any exception.
     * Then, with the connection back in the pool, runs what {@link #afterRelease} registered.
     */
    public <T, X extends Exception> T write(HandleCallback<T, X> work) throws X {
        List<Runnable> outer = AFTER_RELEASE.get();
        List<Runnable> after = new ArrayList<>(1);
        AFTER_RELEASE.set(after);
        T result;
        try {
            result = writer.inTransaction(work);
        } finally {
            if (outer == null) AFTER_RELEASE.remove();
            else AFTER_RELEASE.set(outer);
        }
        for (Runnable r : after) r.run();
        return result;
    }

    /**
     * Runs {@code r} once the transaction of {@code h} has committed and its connection is released:
     * never if it rolls back. On SQLite every writer waits for the one write connection, so work done
     * after the commit but before the release (the live fan-out to a few hundred streams) would hold
     * up every other writer; measured under the nchan comparison, writers queued for the connection
     * (issue 14).
     */
    public static void afterRelease(Handle h, Runnable r) {
        h.afterCommit(() -> {
            List<Runnable> after = AFTER_RELEASE.get();
            if (after != null) after.add(r);
            else r.run(); // a transaction not opened by write(): the connection is the caller's to release
        });
    }

    /** Runs {@code work} in one read-only snapshot. */
    public <T, X extends Exception> T read(HandleCallback<T, X> work) throws X {
        if (vendor == Vendor.POSTGRESQL) {
            return reader.withHandle(h -> {
                h.setReadOnly(true);
                try {
                    return h.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, work);
                } finally {
                    h.setReadOnly(false);
                }
            });
        }
        return reader.inTransaction(work);
    }

    /** For one-off statements outside a unit of work (health checks, housekeeping). */
    public <T, X extends Exception> T withHandle(HandleCallback<T, X> work) throws X {
        return writer.withHandle(work);
    }

    public Vendor vendor() {
        return vendor;
    }

    /**
     * Whether this process is the only one writing the database: SQLite, one file behind one write connection
     * (a second server on the same file would not reach this one's streams either). Then every change is made
     * here, and what this process committed may be answered from memory (the change log's head, live sessions);
     * on PostgreSQL other nodes write too, so those are read.
     */
    public boolean soleWriter() {
        return vendor == Vendor.SQLITE;
    }

    /** The pool writes go through; the cluster relay borrows a connection from it for LISTEN. */
    public DataSource dataSource() {
        return writePool;
    }

    /** Where the data lives, for the startup line (never includes a password). */
    public String description() {
        return description;
    }

    public boolean isHealthy() {
        try {
            return withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one() == 1);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Locks one row for the rest of the transaction on PostgreSQL; a no-op on SQLite, whose writers are already serial. */
    public void lockRow(Handle h, String table, long id) {
        if (vendor == Vendor.POSTGRESQL) {
            h.createQuery("SELECT id FROM " + table + " WHERE id = :id FOR UPDATE").bind("id", id).mapTo(Long.class).findOne();
        }
    }

    /** Serialises writers of one table for the rest of the transaction on PostgreSQL (SQLite writers are serial anyway). */
    public void lockTable(Handle h, String table) {
        if (vendor == Vendor.POSTGRESQL) h.execute("LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE");
    }

    @Override
    public void close() {
        if (readPool != writePool) readPool.close();
        writePool.close();
    }
}
