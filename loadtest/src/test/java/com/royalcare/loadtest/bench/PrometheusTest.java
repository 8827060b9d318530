package com.royalcare.loadtest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PrometheusTest {

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

    @Test
    void quantiles_come_from_the_difference_of_two_scrapes() {
        Map<String, Double> before = Prometheus.parse(BEFORE);
        Map<String, Double> after = Prometheus.parse(AFTER);

        // 100 new observations: 50 ≤ 1 ms, 48 more ≤ 10 ms, 2 more ≤ 100 ms
        assertThat(Prometheus.quantile(before, after, "t_seconds", 0.5)).isEqualTo(0.001);
        assertThat(Prometheus.quantile(before, after, "t_seconds", 0.9)).isEqualTo(0.01);
        assertThat(Prometheus.quantile(before, after, "t_seconds", 0.99)).isEqualTo(0.1);
        assertThat(Prometheus.delta(before, after, "cut_total{reason=\"lagging\"}")).isEqualTo(3.0);
        assertThat(Prometheus.quantile(before, before, "t_seconds", 0.5)).isNaN();
    }
}
