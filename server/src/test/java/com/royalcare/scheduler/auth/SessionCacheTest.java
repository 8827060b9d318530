package com.royalcare.scheduler.auth;

import com.royalcare.scheduler.staff.Role;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache never keeps a read that may predate a change: the race a stale entry would come from. */
class SessionCacheTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private final SessionCache cache = new SessionCache();

    private static SessionCache.Entry entry(long staffId, String tokenHash) {
        return new SessionCache.Entry(new Principal(staffId, "u" + staffId, Role.THERAPIST, tokenHash), NOW.plusSeconds(3600), NOW);
    }

    @Test
    void keeps_a_read_when_nothing_changed_meanwhile() {
        long readAt = cache.generation();
        cache.put("a", entry(1, "a"), readAt);
        assertThat(cache.get("a")).isEqualTo(entry(1, "a"));
    }

    @Test
    void a_read_that_began_before_a_drop_is_not_kept_even_for_another_session() {
        long readAt = cache.generation();
        cache.drop("a"); // e.g. that session signed out while the read was in flight
        cache.put("a", entry(1, "a"), readAt);
        cache.put("b", entry(2, "b"), readAt);
        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("b")).isNull();
        cache.put("b", entry(2, "b"), cache.generation());
        assertThat(cache.get("b")).isNotNull();
    }

    @Test
    void dropping_an_account_drops_each_of_its_sessions_only() {
        cache.put("a1", entry(1, "a1"), cache.generation());
        cache.put("a2", entry(1, "a2"), cache.generation());
        cache.put("b", entry(2, "b"), cache.generation());
        long readAt = cache.generation();
        cache.dropAccount(1);
        assertThat(cache.get("a1")).isNull();
        assertThat(cache.get("a2")).isNull();
        assertThat(cache.get("b")).isNotNull();
        cache.put("a1", entry(1, "a1"), readAt);
        assertThat(cache.get("a1")).isNull();
    }

    @Test
    void housekeeping_forgets_sessions_past_their_lifetime_or_idle_period() {
        cache.put("old", new SessionCache.Entry(new Principal(1, "u1", Role.THERAPIST, "old"), NOW.plusSeconds(3600), NOW.minusSeconds(7200)), cache.generation());
        cache.put("live", entry(2, "live"), cache.generation());
        cache.dropEndedBy(NOW.plusSeconds(60), Duration.ofHours(1));
        assertThat(cache.get("old")).isNull();
        assertThat(cache.get("live")).isNotNull();
    }
}
