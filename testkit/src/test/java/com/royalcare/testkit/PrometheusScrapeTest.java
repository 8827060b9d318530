package com.royalcare.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {

    private static final String BEFORE = """
            # HELP t_seconds a timer
            t_seconds_bucket{le="0.001"} 10
            t_seconds_bucket{le="0.01"} 10
            t_seconds_bucket{le="0.1"} 10
            t_seconds_bucket{le="+Inf"} 10
            cut_total{reason="lagging"} 1
            """;
    private static final String AFTER = """
            t_seconds_bucket{le="0.001"} 60
            t_seconds_bucket{le="0.01"} 108
            t_seconds_bucket{le="0.1"} 110
            t_seconds_bucket{le="+Inf"} 110
            cut_total{reason="lagging"} 4
            """;

    /** As Micrometer writes it: HELP/TYPE comments, label values with spaces, scientific notation. */
    private static final String SERVER = """
            # HELP rcs_sync_streams_open Open event streams
            # TYPE rcs_sync_streams_open gauge
            rcs_sync_streams_open 3.0
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.2E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 3000000.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
            rcs_sync_clients_cut_total{reason="lagging"} 2.0
            rcs_sync_clients_cut_total{reason="other"} 1.0
            odd_label{path="a \\"quoted\\" } value",} 7 1700000000000
            not a sample line
            broken{le="0.1" 5
            """;

    @Test
    void quantiles_come_from_the_difference_of_two_scrapes() {
        PrometheusScrape before = PrometheusScrape.parse(BEFORE);
        PrometheusScrape after = PrometheusScrape.parse(AFTER);

        // 100 new observations: 50 ≤ 1 ms, 48 more ≤ 10 ms, 2 more ≤ 100 ms
        assertThat(after.quantile(before, "t_seconds", 0.5)).isEqualTo(0.001);
        assertThat(after.quantile(before, "t_seconds", 0.9)).isEqualTo(0.01);
        assertThat(after.quantile(before, "t_seconds", 0.99)).isEqualTo(0.1);
        assertThat(after.seriesDelta(before, "cut_total{reason=\"lagging\"}")).isEqualTo(3.0);
        assertThat(after.delta(before, "cut_total", "reason", "lagging")).isEqualTo(3.0);
        assertThat(before.quantile(before, "t_seconds", 0.5)).isNaN();
    }

    @Test
    void values_by_name_and_labels() {
        PrometheusScrape s = PrometheusScrape.parse(SERVER);

        assertThat(s.value("rcs_sync_streams_open")).isEqualTo(3.0);
        assertThat(s.sum("rcs_sync_streams_open")).isEqualTo(3.0);
        assertThat(s.sum("jvm_memory_used_bytes", "area", "heap")).isEqualTo(15_000_000.0);
        assertThat(s.sum("jvm_memory_used_bytes")).isEqualTo(65_000_000.0);
        assertThat(s.sum("rcs_sync_clients_cut_total")).as("all label sets").isEqualTo(3.0);
        assertThat(s.sum("rcs_sync_clients_cut_total", "reason", "lagging")).isEqualTo(2.0);
        assertThat(s.value("rcs_sync_clients_cut_total{reason=\"other\"}")).isEqualTo(1.0);
    }

    @Test
    void label_values_may_hold_quotes_braces_and_spaces_and_a_timestamp_is_ignored() {
        PrometheusScrape s = PrometheusScrape.parse(SERVER);

        assertThat(s.samples()).filteredOn(x -> x.name().equals("odd_label")).singleElement()
                .satisfies(x -> {
                    assertThat(x.labels()).isEqualTo(Map.of("path", "a \"quoted\" } value"));
                    assertThat(x.value()).isEqualTo(7.0);
                });
    }

    @Test
    void comments_and_malformed_lines_are_skipped_and_absent_metrics_say_so() {
        PrometheusScrape s = PrometheusScrape.parse(SERVER);

        assertThat(s.samples()).extracting(PrometheusScrape.Sample::name)
                .doesNotContain("not", "broken", "#")
                .hasSize(7);
        assertThat(s.has("rcs_sync_streams_open")).isTrue();
        assertThat(s.has("rcs_sync_resets_total")).isFalse();
        assertThat(s.sum("rcs_sync_resets_total")).isZero();
        assertThat(s.value("rcs_sync_resets_total")).isNaN();
        assertThat(PrometheusScrape.empty().isEmpty()).isTrue();
        assertThat(PrometheusScrape.parse("").isEmpty()).isTrue();
    }

    @Test
    void special_values_and_crlf_lines() {
        PrometheusScrape s = PrometheusScrape.parse("a +Inf\r\nb -Inf\r\nc NaN\r\nd 1e-3\r\n");

        assertThat(s.value("a")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.value("b")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(s.has("c")).isTrue();
        assertThat(s.value("d")).isEqualTo(0.001);
    }

    @Test
    void labels_come_in_pairs() {
        assertThatThrownBy(() -> PrometheusScrape.parse(SERVER).sum("jvm_memory_used_bytes", "area"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
