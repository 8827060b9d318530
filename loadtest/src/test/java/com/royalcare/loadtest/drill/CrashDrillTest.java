package com.royalcare.loadtest.drill;

import com.royalcare.testkit.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash drill in short form: real server processes killed with SIGKILL while writers and
 * stream/polling screens work against them over real HTTP. The full runs are {@code drills/crash.sh}.
 */
class CrashDrillTest {

    @TempDir
    Path work;

    @Test
    void sqlite_acknowledged_writes_survive_two_kills_and_every_screen_converges() {
        CrashDrill.Report r = new CrashDrill(options(CrashDrill.Mode.SQLITE, null, 2)).run();
        System.out.print(r.format());

        assertThat(r.passed()).as(r.format()).isTrue();
        assertThat(r.kills()).isEqualTo(2);
        assertThat(r.acknowledged()).as(r.format()).isPositive().isEqualTo(r.found());
        assertThat(r.rejected()).as("the drill also sends writes that must be refused").isPositive();
        assertThat(r.rejectedFound()).isZero();
        assertThat(r.gaps()).isZero();
        assertThat(r.divergences()).isZero();
        assertThat(r.screenStats().drops()).as("streams were cut by the kills and resumed").isPositive();
        assertThat(r.screenStats().applied()).isPositive();
    }

    @Test
    void postgres_two_nodes_one_killed_loses_nothing() {
        CrashDrill.Report r = new CrashDrill(options(CrashDrill.Mode.POSTGRES, Postgres.newDatabase(), 1)).run();
        System.out.print(r.format());

        assertThat(r.passed()).as(r.format()).isTrue();
        assertThat(r.nodes()).isEqualTo(2);
        assertThat(r.acknowledged()).as(r.format()).isPositive().isEqualTo(r.found());
        assertThat(r.rejectedFound()).isZero();
        assertThat(r.gaps()).isZero();
        assertThat(r.divergences()).isZero();
    }

    private CrashDrill.Options options(CrashDrill.Mode mode, String jdbcUrl, int kills) {
        return new CrashDrill.Options(mode, jdbcUrl, "postgres", kills, 700, 1500, 3, 3, 2, 1000, java.util.Map.of(), work,
                ServerNode.classpathCommand(System.getProperty("java.class.path"),
                        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")),
                42);
    }
}
