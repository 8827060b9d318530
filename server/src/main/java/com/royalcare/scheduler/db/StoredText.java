package com.royalcare.scheduler.db;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;

/**
 * Reads back the text forms this app stores: dates as {@code yyyy-MM-dd}, times as {@code HH:mm} (or
 * {@code HH:mm:ss}), instants as {@link Timestamps#format}'s fixed-width UTC. Row mappers call these for
 * every column of every row; the java.time parsers build a field map per call, which was a tenth of a
 * slot write's Java time (issue 14 profile). Text of any other shape goes to the java.time parser, so
 * it is read (or refused) exactly as before.
 */
public final class StoredText {

    private StoredText() {
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, as stored; otherwise {@link Instant#parse}. */
    public static Instant instant(String s) {
        if (s.length() == 24 && s.charAt(10) == 'T' && s.charAt(13) == ':' && s.charAt(16) == ':' && s.charAt(19) == '.'
                && s.charAt(23) == 'Z') {
            LocalDate date = dateOrNull(s);
            int h = digits(s, 11, 13), m = digits(s, 14, 16), sec = digits(s, 17, 19), ms = digits(s, 20, 23);
            if (date != null && h >= 0 && h < 24 && m >= 0 && m < 60 && sec >= 0 && sec < 60 && ms >= 0) {
                return Instant.ofEpochSecond(date.toEpochDay() * 86_400 + h * 3_600L + m * 60L + sec, ms * 1_000_000L);
            }
        }
        return Instant.parse(s);
    }

    /** {@code yyyy-MM-dd}; otherwise {@link LocalDate#parse}. */
    public static LocalDate date(String s) {
        LocalDate d = s.length() == 10 ? dateOrNull(s) : null;
        return d != null ? d : LocalDate.parse(s);
    }

    /** {@code HH:mm} or {@code HH:mm:ss}; otherwise {@link LocalTime#parse}. */
    public static LocalTime time(String s) {
        int n = s.length();
        if ((n == 5 || n == 8) && s.charAt(2) == ':' && (n == 5 || s.charAt(5) == ':')) {
            int h = digits(s, 0, 2), m = digits(s, 3, 5), sec = n == 8 ? digits(s, 6, 8) : 0;
            if (h >= 0 && h < 24 && m >= 0 && m < 60 && sec >= 0 && sec < 60) return LocalTime.of(h, m, sec);
        }
        return LocalTime.parse(s);
    }

    /** The {@code yyyy-MM-dd} at the start of {@code s} when it is a real date; null when not (left to java.time). */
    private static LocalDate dateOrNull(String s) {
        if (s.charAt(4) != '-' || s.charAt(7) != '-') return null;
        int y = digits(s, 0, 4), mo = digits(s, 5, 7), d = digits(s, 8, 10);
        if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > java.time.Month.of(mo).length(java.time.Year.isLeap(y))) return null;
        return LocalDate.of(y, mo, d);
    }

    /** The decimal number in {@code s[from, to)}, or -1 when any of it is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
