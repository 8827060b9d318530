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

    @Test
    void work_after_a_write_runs_once_the_one_sqlite_write_connection_is_free_and_never_after_a_rollback() throws Exception {
        try (TestServer server = TestServer.start()) {
            Database db = server.app().services().db();
            java.util.List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
            // Another writer started from the after-release work must get the connection at once: before,
            // such work ran while the committed transaction still held it, and every other writer queued.
            java.util.concurrent.CompletableFuture<Integer> second = new java.util.concurrent.CompletableFuture<>();
            int first = db.write(h -> {
                Database.afterRelease(h, () -> {
                    ran.add("after commit");
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> db.write(h2 -> h2.createQuery("SELECT 2").mapTo(Integer.class).one()))
                            .whenComplete((v, t) -> { if (t == null) second.complete(v); else second.completeExceptionally(t); });
                    try {
                        assertThat(second.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(2);
                    } catch (Exception e) {
                        throw new AssertionError("a second writer waited for the connection of a committed write", e);
                    }
                });
                return h.createQuery("SELECT 1").mapTo(Integer.class).one();
            });
            assertThat(first).isEqualTo(1);
            assertThat(ran).containsExactly("after commit");

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.write(h -> {
                Database.afterRelease(h, () -> ran.add("after a rollback"));
                throw new IllegalStateException("roll back");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(ran).containsExactly("after commit");
        }
    }
}
