package org.parley.status.domain;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.UUID;

import org.parley.contract.Statement;

/** Where a statement stands in {@link Statement#FOLD_ORDER}: what a timeline page continues after, where a snapshot stands. */
public record FoldKey(Instant occurredAt, Instant recordedAt, UUID eventId) implements Comparable<FoldKey> {
    private static final Comparator<FoldKey> ORDER = Comparator.comparing(FoldKey::occurredAt)
            .thenComparing(FoldKey::recordedAt)
            .thenComparing(FoldKey::eventId);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuuMMddHHmmss");
    private static final int INSTANT = 23;

    public static FoldKey of(Statement statement) {
        return new FoldKey(statement.occurredAt(), statement.recordedAt(), statement.eventId());
    }

    @Override
    public int compareTo(FoldKey other) {
        return ORDER.compare(this, other);
    }

    /**
     * The position as fixed-width text whose order (byte-wise, COLLATE "C") is this order: the same text as
     * the database's fold_key(payload, event_id) (migration V3_7) gives for the statement, so that SQL can
     * compare positions exactly (nanoseconds, and java.util.UUID's signed halves).
     */
    public String key() {
        return instant(occurredAt) + instant(recordedAt) + signed(eventId.toString());
    }

    /**
     * A bound between keys: every position that occurred by `at` has a smaller key, every later one a larger
     * or equal one (the key starts with occurredAt, fixed-width).
     */
    public static String keyAfter(Instant at) {
        return instant(at.plusNanos(1));
    }

    /** The inverse of {@link #key()}. */
    public static FoldKey ofKey(String key) {
        if (key.length() != 2 * INSTANT + 36) {
            throw new IllegalArgumentException("not a fold key: " + key);
        }
        return new FoldKey(instant(key.substring(0, INSTANT)), instant(key.substring(INSTANT, 2 * INSTANT)),
                UUID.fromString(signed(key.substring(2 * INSTANT))));
    }

    private static String instant(Instant at) {
        return SECONDS.format(LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC))
                + String.format("%09d", at.getNano());
    }

    private static Instant instant(String key) {
        return LocalDateTime.parse(key.substring(0, 14), SECONDS).toInstant(ZoneOffset.UTC)
                .plusNanos(Integer.parseInt(key.substring(14)));
    }

    /** Flips the top bit of each half (its own inverse): unsigned text order becomes UUID's signed order. */
    private static String signed(String uuid) {
        return flip(uuid.charAt(0)) + uuid.substring(1, 19) + flip(uuid.charAt(19)) + uuid.substring(20);
    }

    private static char flip(char hex) {
        return Character.forDigit(Character.digit(hex, 16) ^ 8, 16);
    }
}
