package com.royalcare.scheduler;

import com.royalcare.scheduler.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Thousands of event streams reconnect at once after a blip. The listening socket's accept queue
 * must hold such a burst: with the JVM's default backlog (50) the kernel drops handshakes and the
 * clients retry only after 1, 2, 4 … seconds (issue 5's reconnect storm measured 15,000 such drops
 * for 10,000 streams). Linux shows a listening socket's backlog as its Send-Q in {@code ss}.
 */
class ListenQueueTest {

    @Test
    void listening_socket_queues_a_reconnect_storm_not_the_jvm_default_fifty() throws Exception {
        Path somaxconnFile = Path.of("/proc/sys/net/core/somaxconn");
        assumeTrue(Files.isReadable(somaxconnFile), "Linux only");
        int somaxconn = Integer.parseInt(Files.readString(somaxconnFile).trim());
        try (TestServer server = TestServer.start()) {
            int backlog = listenBacklog(server.port());
            assumeTrue(backlog >= 0, "ss (iproute2) is not available");
            assertThat(backlog).isGreaterThanOrEqualTo(Math.min(1024, somaxconn)).isGreaterThan(50);
        }
    }

    /** Send-Q of the LISTEN socket on {@code port} as {@code ss} reports it, or -1 if ss cannot tell. */
    private static int listenBacklog(int port) throws InterruptedException {
        try {
            Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + port).redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ss.waitFor(10, TimeUnit.SECONDS) || ss.exitValue() != 0) return -1;
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].equals("LISTEN")) return Integer.parseInt(f[2]);
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
