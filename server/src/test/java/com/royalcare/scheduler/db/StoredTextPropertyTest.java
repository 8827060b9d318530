package com.royalcare.scheduler.db;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored-text readers agree with java.time: the same value for what we store, the same refusal for anything else. */
class StoredTextPropertyTest {

    @Property
    void an_instant_reads_back_as_it_was_stored(@ForAll("instants") Instant at) {
        assertThat(StoredText.instant(Timestamps.format(at))).isEqualTo(at);
    }

    @Property
    void a_date_reads_back_as_it_was_stored(@ForAll("dates") LocalDate d) {
        assertThat(StoredText.date(d.toString())).isEqualTo(d);
    }

    @Property
    void a_time_reads_back_as_it_was_stored(@ForAll("times") LocalTime t) {
        assertThat(StoredText.time(t.toString())).isEqualTo(t);
    }

    /** Any text of the stored widths, mostly digits: each reader answers exactly what java.time answers, value or refusal. */
    @Property(tries = 3000)
    void text_of_the_stored_shapes_is_read_as_java_time_reads_it(@ForAll("nearlyInstants") String instant,
                                                                   @ForAll("nearlyDates") String date,
                                                                   @ForAll("nearlyTimes") String time) {
        sameAs(StoredText::instant, Instant::parse, instant);
        sameAs(StoredText::date, LocalDate::parse, date);
        sameAs(StoredText::time, LocalTime::parse, time);
    }

    @Example
    void other_forms_still_go_through_java_time() {
        assertThat(StoredText.instant("2026-12-03T10:15:30Z")).isEqualTo(Instant.parse("2026-12-03T10:15:30Z"));
        assertThat(StoredText.time("10:15:30.5")).isEqualTo(LocalTime.of(10, 15, 30, 500_000_000));
        assertThatThrownBy(() -> StoredText.date("2026-02-30")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> StoredText.time("24:00")).isInstanceOf(DateTimeException.class);
    }

    private static <T> void sameAs(Function<String, T> ours, Function<String, T> javaTime, String text) {
        Object expected;
        try {
            expected = javaTime.apply(text);
        } catch (DateTimeException e) {
            assertThatThrownBy(() -> ours.apply(text)).as(text).isInstanceOf(DateTimeException.class);
            return;
        }
        assertThat(ours.apply(text)).as(text).isEqualTo(expected);
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(0, Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli()).map(Instant::ofEpochMilli);
    }

    @Provide
    Arbitrary<LocalDate> dates() {
        return Arbitraries.longs().between(LocalDate.of(1000, 1, 1).toEpochDay(), LocalDate.of(9999, 12, 31).toEpochDay())
                .map(LocalDate::ofEpochDay);
    }

    @Provide
    Arbitrary<LocalTime> times() {
        return Arbitraries.integers().between(0, 86_399).map(s -> LocalTime.ofSecondOfDay(s));
    }

    @Provide
    Arbitrary<String> nearlyInstants() {
        return nearly("2026-02-29T23:59:60.999Z");
    }

    @Provide
    Arbitrary<String> nearlyDates() {
        return nearly("2024-02-29");
    }

    @Provide
    Arbitrary<String> nearlyTimes() {
        return Arbitraries.oneOf(nearly("23:59"), nearly("23:59:59"));
    }

    /** Strings shaped like {@code template}: each digit a random digit, and one character in forty any printable one. */
    private static Arbitrary<String> nearly(String template) {
        return Arbitraries.integers().between(0, 1_000_000).list().ofSize(template.length()).map(rolls -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < template.length(); i++) {
                char c = template.charAt(i);
                int roll = rolls.get(i);
                if (roll % 40 == 0) b.append((char) (' ' + roll / 40 % 95));
                else if (Character.isDigit(c)) b.append((char) ('0' + roll % 10));
                else b.append(c);
            }
            return b.toString();
        });
    }
}
