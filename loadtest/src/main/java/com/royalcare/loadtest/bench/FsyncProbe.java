package com.royalcare.loadtest.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Measures how long an fsync of 4 KiB takes on the machine during a run, ten times a second. A
 * durable commit waits for one, so when other work on a shared machine floods the disk, write
 * latency follows; this says whether that happened.
 */
final class FsyncProbe implements AutoCloseable {

    private final Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
    private final Thread thread;
    private final Path file;
    private volatile boolean running = true;

    FsyncProbe(Path dir) throws IOException {
        file = Files.createTempFile(dir, "bench-fsync-probe", ".bin");
        thread = new Thread(this::run, "bench-fsync-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        ByteBuffer page = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (running) {
                page.clear();
                ch.write(page, 0);
                long t0 = System.nanoTime();
                ch.force(false);
                synchronized (micros) {
                    micros.recordValue(Math.min((System.nanoTime() - t0) / 1_000, micros.getHighestTrackableValue()));
                }
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException e) {
            // the probe is informative only
        }
    }

    /** One percentile in ms, or NaN when nothing was probed. */
    double ms(double percentile) {
        synchronized (micros) {
            return micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /** p50 / p99 / max in ms, or "n/a". */
    String summary() {
        synchronized (micros) {
            if (micros.getTotalCount() == 0) {
                return "n/a";
            }
            return String.format(java.util.Locale.ROOT, "%.2f / %.2f / %.2f", micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(99) / 1000.0, micros.getMaxValue() / 1000.0);
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.interrupt();
        thread.join(2_000);
        Files.deleteIfExists(file);
    }
}
