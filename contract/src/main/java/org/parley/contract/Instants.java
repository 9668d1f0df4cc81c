package org.parley.contract;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

/**
 * RFC 3339 date-times (the schema's "format": "date-time"), read with java.time. Stored instants lie within
 * the years 0001 to 9999 in UTC: PostgreSQL refuses year 0 and an Instant after 9999 prints as "+10000-...",
 * which no RFC 3339 reader takes back. A leap second (23:59:60) is refused: an Instant cannot hold it.
 */
final class Instants {
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    static final String FORM = "must be an ISO-8601 date-time with offset, such as 2025-10-24T03:00:00Z";

    // uuuu-MM-ddTHH:mm:ss[.f{1,9}](Z|+HH:MM), 'T' and 'Z' in either case, fields in range (STRICT).
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
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
        OffsetDateTime at;
        try {
            at = OffsetDateTime.parse(text, RFC_3339);
        } catch (DateTimeException e) {
            if (text.length() >= 19 && text.startsWith(":60", 16)) {
                throw new RuleBroken("is a leap second (:60), which cannot be stored; send :59 instead");
            }
            throw new RuleBroken(FORM);
        }
        Instant instant = at.toInstant();
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new RuleBroken("must fall within the years 0001 to 9999 in UTC, not " + text);
        }
        return instant;
    }

    /** A broken rule, reported on the field being read. */
    static final class RuleBroken extends RuntimeException {
        RuleBroken(String message) {
            super(message, null, false, false);
        }
    }
}
