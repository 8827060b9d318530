package com.royalcare.scheduler.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/** The sync meters, as Prometheus shows them: {@code rcs_sync_*}. */
final class SyncMetrics {

    private final AtomicInteger streamsOpen = new AtomicInteger();
    private final AtomicInteger pollsWaiting = new AtomicInteger();
    private final Counter published;
    private final Counter delivered;
    private final Counter cut;
    private final Counter resumes;
    private final Counter resets;
    private final Timer commitToWrite;

    SyncMetrics(MeterRegistry registry) {
        Gauge.builder("rcs_sync_streams_open", streamsOpen, AtomicInteger::get)
                .description("Event streams currently open").register(registry);
        Gauge.builder("rcs_sync_polls_waiting", pollsWaiting, AtomicInteger::get)
                .description("Long polls currently waiting for a change").register(registry);
        published = Counter.builder("rcs_sync_events_published").description("Changes fanned out by this node").register(registry);
        delivered = Counter.builder("rcs_sync_events_delivered").description("Events written to stream clients").register(registry);
        cut = Counter.builder("rcs_sync_clients_cut").description("Stream clients cut because they fell too far behind")
                .tag("reason", "lagging").register(registry);
        resumes = Counter.builder("rcs_sync_resumes").description("Streams and polls that resumed from a position").register(registry);
        resets = Counter.builder("rcs_sync_resets").description("Resumes older than the kept history (client told to refetch)")
                .register(registry);
        commitToWrite = Timer.builder("rcs_sync_commit_to_write")
                .description("Per socket write: from the commit of the oldest change in it (after-commit callback here, stored commit time for other nodes' changes) to the write to a client's socket")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    void streamOpened() {
        streamsOpen.incrementAndGet();
    }

    void streamClosed() {
        streamsOpen.decrementAndGet();
    }

    int streamsOpen() {
        return streamsOpen.get();
    }

    void pollWaiting(int delta) {
        pollsWaiting.addAndGet(delta);
    }

    void published() {
        published.increment();
    }

    /**
     * {@code count} events written in one go; the histogram takes the oldest of them (the one that
     * waited longest), once per write rather than once per event, which keeps it off the hot path.
     */
    void delivered(Event oldest, int count) {
        delivered.increment(count);
        commitToWrite.record(Duration.between(oldest.committed(), Instant.now()));
    }

    void clientCut() {
        cut.increment();
    }

    void resumed() {
        resumes.increment();
    }

    void reset() {
        resets.increment();
    }
}
