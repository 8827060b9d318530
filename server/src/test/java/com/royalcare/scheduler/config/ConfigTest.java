package com.royalcare.scheduler.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {

    @Test
    void defaults_apply_when_nothing_is_set() {
        Config c = Config.fromMap(Map.of());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.businessZone()).isEqualTo(ZoneId.of("Asia/Manila"));
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.usesPostgres()).isFalse();
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:sqlite:" + Path.of("./data").resolve("scheduler.db"));
        assertThat(c.demoData()).isFalse();
        assertThat(c.sync().sendBuffer()).isEqualTo(65_536);
        assertThat(c.bookingResponse()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(c.travelBuffer()).isEqualTo(java.time.Duration.ofMinutes(30));
    }

    @Test
    void booking_windows_are_read_in_minutes_and_checked() {
        Config c = Config.fromMap(Map.of("BOOKING_RESPONSE_MINUTES", "45", "BOOKING_TRAVEL_BUFFER_MINUTES", "0"));
        assertThat(c.bookingResponse()).isEqualTo(java.time.Duration.ofMinutes(45));
        assertThat(c.travelBuffer()).isZero();
        assertThatThrownBy(() -> Config.fromMap(Map.of("BOOKING_RESPONSE_MINUTES", "0"))).hasMessage("BOOKING_RESPONSE_MINUTES must be positive");
        assertThatThrownBy(() -> Config.fromMap(Map.of("BOOKING_TRAVEL_BUFFER_MINUTES", "-5")))
                .hasMessageContaining("BOOKING_TRAVEL_BUFFER_MINUTES must be between");
    }

    @Test
    void postgres_url_selects_postgres() {
        Config c = Config.fromMap(Map.of("DATABASE_URL", "jdbc:postgresql://localhost/rcs", "DATABASE_USER", "rcs"));
        assertThat(c.usesPostgres()).isTrue();
        assertThat(c.databaseUser()).isEqualTo("rcs");
    }

    @Test
    void invalid_values_stop_startup_with_a_one_line_reason() {
        assertThatThrownBy(() -> Config.fromMap(Map.of("PORT", "eighty"))).isInstanceOf(InvalidConfigException.class)
                .hasMessage("PORT must be a whole number, got 'eighty'");
        assertThatThrownBy(() -> Config.fromMap(Map.of("PORT", "70000"))).hasMessageContaining("PORT must be between");
        assertThatThrownBy(() -> Config.fromMap(Map.of("BUSINESS_TIME_ZONE", "Mars/Olympus")))
                .hasMessage("BUSINESS_TIME_ZONE is not a known time zone: 'Mars/Olympus'");
        assertThatThrownBy(() -> Config.fromMap(Map.of("DATABASE_URL", "jdbc:mysql://x/y"))).hasMessageContaining("DATABASE_URL");
        assertThatThrownBy(() -> Config.fromMap(Map.of("DEMO_DATA", "maybe"))).hasMessage("DEMO_DATA must be true or false, got 'maybe'");
        assertThatThrownBy(() -> Config.fromMap(Map.of("INITIAL_OPERATOR_PASSWORD", "short"))).hasMessageContaining("at least 8");
        assertThatThrownBy(() -> Config.fromMap(Map.of("SYNC_SEND_BUFFER", "100"))).hasMessageContaining("SYNC_SEND_BUFFER must be 0");
        assertThat(Config.fromMap(Map.of("SYNC_SEND_BUFFER", "0")).sync().sendBuffer()).isZero();
    }
}
