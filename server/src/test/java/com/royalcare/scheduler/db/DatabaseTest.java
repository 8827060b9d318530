package com.royalcare.scheduler.db;

import com.royalcare.testkit.Postgres;
import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseTest {

    @Test
    void sqlite_runs_in_wal_mode_with_full_sync() {
        try (TestServer server = TestServer.start()) {
            Database db = server.app().services().db();
            assertThat(db.vendor()).isEqualTo(Database.Vendor.SQLITE);
            String journal = db.withHandle(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
            assertThat(journal).isEqualToIgnoringCase("wal");
            // 2 = FULL: every commit is synced to disk before it returns.
            int synchronous = db.withHandle(h -> h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one());
            assertThat(synchronous).isEqualTo(2);
        }
    }

    @Test
    void postgres_is_migrated_and_healthy() {
        try (TestServer server = TestServer.start(Postgres.newDatabaseEnv())) {
            Database db = server.app().services().db();
            assertThat(db.vendor()).isEqualTo(Database.Vendor.POSTGRESQL);
            assertThat(db.isHealthy()).isTrue();
            assertThat(server.operator().get("/health").json().get("database").asText()).isEqualTo("postgresql");
        }
    }
}
