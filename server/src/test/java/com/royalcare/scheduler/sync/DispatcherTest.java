package com.royalcare.scheduler.sync;

import com.royalcare.scheduler.config.Config;
import com.royalcare.scheduler.db.Database;
import com.royalcare.scheduler.web.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dispatcher publishes strictly in seq order, whatever order commits are reported in. */
class DispatcherTest {

    private Database db;
    private final List<Change> reported = new ArrayList<>();
    private final ChangeLog log = new ChangeLog(reported::add);
    private final SyncMetrics metrics = new SyncMetrics(new SimpleMeterRegistry());
    private Hub hub;
    private Dispatcher dispatcher;
    private Subscription everything;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(Config.fromMap(Map.of("DATA_DIR", Files.createTempDirectory("rcs-dispatch").toString())));
        hub = new Hub(100, db.read(log::head), metrics, Runnable::run);
        dispatcher = new Dispatcher(db, log, hub, metrics, 3_600_000); // no periodic read within the test
        everything = new Subscription(new Viewer(1, true, "t"), Filter.ALL, 1000, false);
        hub.register(everything);
        hub.joinAtHead(everything, false);
    }

    @AfterEach
    void close() {
        dispatcher.stop();
        db.close();
    }

    private List<Change> commit(int n) {
        List<Change> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(db.write(h -> log.append(h, new NewChange("global_refresh", null, Audience.everyone(), List.of(), Json.MAPPER.createObjectNode(), null))));
        }
        return out;
    }

    private List<Long> published(int expected) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<Long> seqs = new ArrayList<>();
        while (seqs.size() < expected && System.nanoTime() < deadline) {
            List<Subscription.Item> items = new ArrayList<>();
            everything.drain(items, Integer.MAX_VALUE);
            items.forEach(i -> seqs.add(((Event) i).seq()));
            Thread.onSpinWait();
        }
        return seqs;
    }

    @Test
    void commits_reported_out_of_order_are_published_in_seq_order() {
        List<Change> c = commit(4);
        dispatcher.committed(c.get(2));
        dispatcher.committed(c.get(0));
        dispatcher.committed(c.get(3));
        dispatcher.committed(c.get(1));
        new Thread(dispatcher).start();
        assertThat(published(4)).containsExactly(c.get(0).seq(), c.get(1).seq(), c.get(2).seq(), c.get(3).seq());
    }

    @Test
    void a_gap_is_filled_from_the_log() {
        new Thread(dispatcher).start();
        List<Change> c = commit(5);
        dispatcher.committed(c.get(4)); // the first four were never reported (another node, a lost callback)
        assertThat(published(5)).containsExactlyElementsOf(c.stream().map(Change::seq).toList());
        assertThat(reported).hasSize(5);
    }

    @Test
    void a_wake_up_reads_what_was_committed_elsewhere() {
        new Thread(dispatcher).start();
        List<Change> c = commit(3);
        dispatcher.wake(c.get(2).seq());
        assertThat(published(3)).containsExactlyElementsOf(c.stream().map(Change::seq).toList());
    }
}
