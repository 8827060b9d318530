package com.royalcare.scheduler.config;

import java.time.Duration;

/**
 * Tuning of live sync (event stream, polling, fan-out). The defaults suit production; tests shorten
 * the heartbeat and shrink the buffers to provoke edge cases quickly.
 *
 * @param heartbeat      comment sent on idle streams; also when sessions are re-checked (SYNC_HEARTBEAT_MS, 15 s)
 * @param retry          reconnect delay suggested to EventSource clients (SYNC_RETRY_MS, 2 s)
 * @param clientQueue    events buffered per stream before a client that cannot keep up is cut (SYNC_CLIENT_QUEUE, 1000)
 * @param ringSize       recent changes kept in memory for cheap resumes (SYNC_RING_SIZE, 10,000)
 * @param logPoll        safety-net read of the change log, in case a wake-up was missed (SYNC_LOG_POLL_MS, 1 s)
 * @param pruneInterval  how often old history is pruned (HISTORY_PRUNE_MINUTES, 60)
 * @param sendBuffer     kernel send buffer of each event stream's socket, in bytes; 0 leaves the
 *                       operating system's default (SYNC_SEND_BUFFER, 65536). Linux grows an
 *                       untouched send buffer to megabytes, which hides a client that reads too slowly
 *                       for many minutes; a small fixed one makes its queue here fill, so it is cut.
 * @param streamsPerUser event streams one account may hold open on this node (SYNC_STREAMS_PER_USER, 20); one
 *                       leader tab per browser holds the stream, so 20 is many browsers, while a script
 *                       opening thousands would tie up the server
 */
public record SyncSettings(Duration heartbeat, Duration retry, int clientQueue, int ringSize, Duration logPoll,
                           Duration pruneInterval, int sendBuffer, int streamsPerUser) {

    public static final SyncSettings DEFAULTS = new SyncSettings(Duration.ofSeconds(15), Duration.ofSeconds(2), 1000,
            10_000, Duration.ofSeconds(1), Duration.ofHours(1), 65_536, 20);

    public SyncSettings {
        requirePositive(heartbeat, "SYNC_HEARTBEAT_MS");
        requirePositive(retry, "SYNC_RETRY_MS");
        requirePositive(logPoll, "SYNC_LOG_POLL_MS");
        requirePositive(pruneInterval, "HISTORY_PRUNE_MINUTES");
        if (clientQueue < 1) throw new InvalidConfigException("SYNC_CLIENT_QUEUE must be at least 1");
        if (ringSize < 1) throw new InvalidConfigException("SYNC_RING_SIZE must be at least 1");
        if (streamsPerUser < 1) throw new InvalidConfigException("SYNC_STREAMS_PER_USER must be at least 1");
        if (sendBuffer != 0 && sendBuffer < 4096) {
            throw new InvalidConfigException("SYNC_SEND_BUFFER must be 0 (system default) or at least 4096 bytes");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) throw new InvalidConfigException(name + " must be positive");
    }
}
