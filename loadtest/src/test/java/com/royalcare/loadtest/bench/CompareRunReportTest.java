package com.royalcare.loadtest.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The goals table of {@code bench/compare-nchan.sh}: each of issue 14's goals judged as ours / nchan from the result lines. */
class CompareRunReportTest {

    private static String row(String target, String kase, String p99, String cpuUs, String cpuPct, String openMs, String mem) {
        return String.join("\t", "target=" + target, "case=" + kase, "subscribers=10000", "filter=100 channels", "rate=100",
                "seconds=30", "writes_ok=9000", "writes_failed=0", "expected=900000", "received=900000", "lost=0", "dup=0",
                "misrouted=0", "p50_ms=2", "p99_ms=" + p99, "p999_ms=50", "max_ms=90", "server_cpu_pct=" + cpuPct,
                "rss_base_kib=1000", "rss_max_kib=2000", "pss_base_kib=1000", "pss_max_kib=2000", "rss_per_conn_kib=" + mem,
                "pss_per_conn_kib=" + mem, "mem_per_conn_kib=" + mem, "tool_cpu_pct=30", "other_cpu_pct=1", "load_avg=1 1 1",
                "open_ms=" + openMs, "cpu_us_per_delivery=" + cpuUs, "write_p50_ms=3", "write_p99_ms=20");
    }

    @Test
    void each_goal_is_judged_against_its_own_limit() {
        String report = CompareRun.report(List.of(
                row("nchan", "b", "20.00", "10.00", "20.00", "10000", "15.00"),
                // p99 1.1× (missed), CPU 1.4× (≤ 1.5: met), open 1.6× (missed), memory 1.9× (met)
                row("royal-care-scheduler", "b", "22.00", "30.00", "28.00", "16000", "28.50")));
        assertThat(report).contains("| b | p99 delivery latency ≤ 1.0× | 20.00 ms | 22.00 ms | 1.10 | **missed** |");
        assertThat(report).contains("| b | whole-run server CPU ≤ 1.5× | 20.00 % | 28.00 % | 1.40 | met |");
        assertThat(report).contains("| b | all streams open in ≤ 1.5× | 10000 ms | 16000 ms | 1.60 | **missed** |");
        assertThat(report).containsPattern("\\| b \\| memory per connection ≤ 2\\.0×[^|]*\\| 15\\.00 KiB \\| 28\\.50 KiB \\| 1\\.90 \\| met \\|");
        assertThat(report).contains("| b | 0 lost, duplicated, misrouted | 0 / 0 / 0 | 0 / 0 / 0 | | met |");
    }

    @Test
    void case_a_is_judged_on_cpu_per_delivery_and_any_loss_is_a_miss() {
        String ours = row("royal-care-scheduler", "a", "30.00", "9.00", "90.00", "2000", "20.00").replace("lost=0", "lost=3");
        String report = CompareRun.report(List.of(row("nchan", "a", "40.00", "10.00", "50.00", "1000", "18.00"), ours));
        assertThat(report).contains("| a | server CPU per delivered event ≤ 1.0× | 10.00 µs | 9.00 µs | 0.90 | met |");
        assertThat(report).doesNotContain("| a | whole-run server CPU");
        assertThat(report).contains("| a | 0 lost, duplicated, misrouted | 0 / 0 / 0 | 3 / 0 / 0 | | **missed** |");
    }

    @Test
    void the_time_split_shows_the_fsync_our_events_waited_for() {
        String ours = row("royal-care-scheduler", "b", "22.00", "30.00", "28.00", "16000", "28.50")
                + "\tstart_to_append_p99_ms=12\tappend_to_first_p99_ms=9\tspread_p99_ms=4\tfsync_p50_ms=1.50\tfsync_p99_ms=11.20";
        String nchan = row("nchan", "b", "20.00", "10.00", "20.00", "10000", "15.00") + "\tspread_p99_ms=2";
        String report = CompareRun.report(List.of(nchan, ours));
        assertThat(report).contains("| fsync p50 / p99 during ours |");
        assertThat(report).contains("| b | 3 / 20 ms | 3 / 20 ms | 12 ms | 9 ms | 4 / 2 ms | 1.50 / 11.20 ms |");
    }
}
