package com.royalcare.scheduler.sync;

import com.royalcare.scheduler.config.Config;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.web.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ChangeLog#head(Database)} is where a stream without a resume point starts, so it must be the committed head
 * at every moment, whether it comes from memory (SQLite, after this process's own commits) or from a read.
 */
class ChangeLogHeadTest {

    private Database db;
    private final ChangeLog log = new ChangeLog(c -> { });

    @BeforeEach
    void open() throws Exception {
        db = Database.open(Config.fromMap(Map.of("DATA_DIR", Files.createTempDirectory("rcs-head").toString())));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Change append(org.jdbi.v3.core.Handle h) {
        return log.append(h, new NewChange("global_refresh", null, Audience.everyone(), List.of(), Json.MAPPER.createObjectNode(), null));
    }

    private long readHead() {
        return db.read(log::head);
    }

    @Test
    void follows_each_commit_and_ignores_a_rolled_back_append() {
        assertThat(log.head(db)).isZero();
        db.write(this::append);
        db.write(this::append);
        assertThat(log.head(db)).isEqualTo(2).isEqualTo(readHead());

        assertThatThrownBy(() -> db.write(h -> {
            append(h);
            throw new IllegalStateException("the feature refused after appending");
        })).hasMessageContaining("refused");
        assertThat(log.head(db)).isEqualTo(2).isEqualTo(readHead());

        db.write(this::append); // takes the rolled-back number again
        assertThat(log.head(db)).isEqualTo(3).isEqualTo(readHead());
    }

    @Test
    void an_append_not_yet_committed_is_not_the_head() throws Exception {
        db.write(this::append);
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Change> writer = CompletableFuture.supplyAsync(() -> db.write(h -> {
            Change c = append(h);
            appended.countDown();
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return c;
        }));
        assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(log.head(db)).isEqualTo(1);

        release.countDown();
        assertThat(writer.get(10, TimeUnit.SECONDS).seq()).isEqualTo(2);
        assertThat(log.head(db)).isEqualTo(2);
    }
}
