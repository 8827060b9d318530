package com.royalcare.loadtest.drill;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The convergence drill in short form (M=20 screens, K=3 writers, T=10 s, one restart) against a
 * real server process. The full run (M=200, K=20, T=120 s) is {@code drills/converge.sh}.
 */
class ConvergeDrillTest {

    @TempDir
    Path work;

    @Test
    void twenty_screens_converge_after_disconnects_pauses_and_a_restart() {
        ConvergeDrill.Options o = new ConvergeDrill.Options(20, 0.25, 3, 10, ConvergeDrill.Restart.TERM, 100,
                6, 4, 3000, 0.2, 6000, 3, java.util.Map.of("SYNC_HEARTBEAT_MS", "2000"), null, 1, work,
                ServerNode.classpathCommand(System.getProperty("java.class.path"),
                        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")),
                7);

        ConvergeDrill.Report r = new ConvergeDrill(o).run();
        System.out.print(r.format());

        assertThat(r.passed()).as(r.format()).isTrue();
        assertThat(r.divergences()).isZero();
        assertThat(r.restarted()).isTrue();
        assertThat(r.writesOk()).isPositive();
        assertThat(r.stats().applied()).as("screens received changes").isPositive();
        assertThat(r.stats().disconnects()).as("random disconnects happened").isPositive();
        assertThat(r.stats().pauses()).as("random pauses happened").isPositive();
        assertThat(r.stats().violations()).isZero();
    }
}
