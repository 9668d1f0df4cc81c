package org.parley.contract;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

/**
 * RFC 3339 date-times (the schema's "format": "date-time"). Stored instants lie within the years 0001 to 9999
 * in UTC: PostgreSQL refuses year 0 and an Instant after 9999 prints as "+10000-...", which no RFC 3339 reader
 * takes back. A leap second (23:59:60) is refused: an Instant cannot hold it.
 * <p>
 * Read by hand ({@link #fast}), with {@link #RFC_3339} (java.time) as the reference it must agree with: the
 * decoder reads two or three per record, and the formatter costs several times the hand-written reading
 * (InstantsBenchmark; docs/benchmarks.md), which made it most of the decoder's time. InstantsTest checks that the two
 * agree over generated input.
 */
final class Instants {
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    static final String FORM = "must be an ISO-8601 date-time with offset, such as 2025-10-24T03:00:00Z";

    // uuuu-MM-ddTHH:mm:ss[.f{1,9}](Z|+HH:MM), 'T' and 'Z' in either case, fields in range (STRICT).
    static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendValue(ChronoField.YEAR, 4)
            .appendLiteral('-').appendValue(ChronoField.MONTH_OF_YEAR, 2)
            .appendLiteral('-').appendValue(ChronoField.DAY_OF_MONTH, 2)
            .appendLiteral('T').appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);

    private Instants() {
    }

    /** The instant, or a RuleBroken naming what is wrong with the text. */
    static Instant parse(String text) {
        Instant instant = fast(text);
        if (instant == null) {
            if (text.length() >= 19 && text.startsWith(":60", 16)) {
                throw new RuleBroken("is a leap second (:60), which cannot be stored; send :59 instead");
            }
            throw new RuleBroken(FORM);
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new RuleBroken("must fall within the years 0001 to 9999 in UTC, not " + text);
        }
        return instant;
    }

    /** The reference reading: java.time, strict; null if the text is not an RFC 3339 date-time. */
    static Instant reference(String text) {
        try {
            return OffsetDateTime.parse(text, RFC_3339).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The same as {@link #reference}, by hand: null if the text is not an RFC 3339 date-time. */
    static Instant fast(String text) {
        int n = text.length();
        if (n < 20 || !digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 7) || text.charAt(7) != '-'
                || !digits(text, 8, 10) || (text.charAt(10) != 'T' && text.charAt(10) != 't') || !digits(text, 11, 13)
                || text.charAt(13) != ':' || !digits(text, 14, 16) || text.charAt(16) != ':' || !digits(text, 17, 19)) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (text.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 10 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            int count = i - start;
            if (count < 1 || count > 9) {
                return null;
            }
            nanos = number(text, start, i);
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (i >= n) {
            return null;
        }
        int offsetSeconds;
        char sign = text.charAt(i);
        if (sign == 'Z' || sign == 'z') {
            if (i + 1 != n) {
                return null;
            }
            offsetSeconds = 0;
        } else if (sign == '+' || sign == '-') {
            if (i + 6 != n || !digits(text, i + 1, i + 3) || text.charAt(i + 3) != ':' || !digits(text, i + 4, i + 6)) {
                return null;
            }
            int hours = number(text, i + 1, i + 3);
            int minutes = number(text, i + 4, i + 6);
            offsetSeconds = (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
            if (hours > 18 || minutes > 59 || Math.abs(offsetSeconds) > 18 * 3600) {
                return null;
            }
        } else {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.of(number(text, 0, 4), number(text, 5, 7), number(text, 8, 10),
                    number(text, 11, 13), number(text, 14, 16), number(text, 17, 19), nanos);
            return Instant.ofEpochSecond(local.toEpochSecond(ZoneOffset.ofTotalSeconds(offsetSeconds)), nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    /** A broken rule, reported on the field being read. */
    static final class RuleBroken extends RuntimeException {
        RuleBroken(String message) {
            super(message, null, false, false);
        }
    }
}
