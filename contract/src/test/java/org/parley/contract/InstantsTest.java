package org.parley.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The contract's hand-written RFC 3339 reading agrees with its java.time reference and with the regex + ISO
 * formatter status-service once used (within the storable years 0001 to 9999, UTC); the UUID check with the
 * pattern.
 */
class InstantsTest {
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** What StatementParser did before: the pattern, then the strict ISO formatter. */
    private static Instant oracle(String text) {
        if (!DATE_TIME.matcher(text).matches()) {
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            return instant.isBefore(Instants.EARLIEST) || instant.isAfter(Instants.LATEST) ? null : instant;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant parsed(String text) {
        try {
            return Instants.parse(text);
        } catch (Instants.RuleBroken e) {
            return null;
        }
    }

    @Test
    void agreesWithTheFormatterOnGeneratedDateTimes() {
        Random rng = new Random(20251124);
        int valid = 0;
        for (int i = 0; i < 40_000; i++) {
            String text = candidate(rng);
            Instant expected = oracle(text);
            assertThat(parsed(text)).as(text).isEqualTo(expected);
            assertThat(Instants.fast(text)).as(text).isEqualTo(Instants.reference(text));
            if (expected != null) {
                valid++;
            }
        }
        assertThat(valid).isGreaterThan(2_500);
        for (String text : new String[] { "2024-02-29T23:59:59.999999999+18:00", "2023-02-29T00:00:00Z",
                "2025-10-24T24:00:00Z", "2025-10-24T23:59:60Z", "0000-01-01T00:00:00-00:00", "9999-12-31t23:59:59z",
                "2025-10-24T03:00:00.Z", "2025-10-24T03:00:00.1234567890Z", "2025-10-24T03:00:00+18:01",
                "2025-10-24T03:00:00+01:00:00", "2025-10-24T03:00:00", "2025-10-24 03:00:00Z", "" }) {
            assertThat(parsed(text)).as(text).isEqualTo(oracle(text));
            assertThat(Instants.fast(text)).as(text).isEqualTo(Instants.reference(text));
        }
    }

    @Test
    void agreesWithThePatternOnGeneratedUuids() {
        Random rng = new Random(7);
        String alphabet = "0123456789abcdefABCDEFgG-x ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder(UUID.randomUUID().toString());
            if (rng.nextBoolean()) {
                text.setCharAt(rng.nextInt(36), alphabet.charAt(rng.nextInt(alphabet.length())));
            }
            if (rng.nextInt(10) == 0) {
                text.append('0');
            }
            assertThat(StatementRules.isUuid(text.toString())).as(text.toString())
                    .isEqualTo(UUID_TEXT.matcher(text).matches());
        }
    }

    @Test
    void aDuplicatePropertyIsNotJson() {
        String value = "{\"eventId\":\"6f1c2a8e-3b7d-4e51-9a0c-2d4e8f6a1b01\",\"eventId\":\"6f1c2a8e-3b7d-4e51-9a0c-2d4e8f6a1b02\","
                + "\"type\":\"NO_RESPONSE\",\"source\":\"USA\",\"target\":\"PRK\",\"occurredAt\":\"2025-10-24T03:00:00Z\","
                + "\"recordedAt\":\"2025-10-24T03:00:00Z\"}";
        StatementRules.Decoded result = StatementRules.record("PRK-USA".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
        assertThat(result).isInstanceOf(StatementRules.Rejected.class);
        assertThat(((StatementRules.Rejected) result).reason()).startsWith("invalid JSON").contains("eventId");
    }

    /** Near-valid date-times: each part drawn mostly valid, sometimes out of range or malformed. */
    private static String candidate(Random rng) {
        StringBuilder b = new StringBuilder();
        b.append(pick(rng, String.format("%04d", rng.nextInt(10_000)), "202", "+2025", "2025"));
        b.append(pick(rng, "-", "/", "-", "-"));
        b.append(String.format("%02d", rng.nextInt(10) == 0 ? rng.nextInt(100) : 1 + rng.nextInt(12)));
        b.append('-');
        b.append(String.format("%02d", rng.nextInt(10) == 0 ? rng.nextInt(100) : 1 + rng.nextInt(31)));
        b.append(pick(rng, "T", "t", " ", "T"));
        b.append(String.format("%02d", rng.nextInt(10) == 0 ? rng.nextInt(100) : rng.nextInt(24)));
        b.append(':');
        b.append(String.format("%02d", rng.nextInt(10) == 0 ? rng.nextInt(100) : rng.nextInt(60)));
        b.append(pick(rng, ":", ":", ":", ""));
        b.append(String.format("%02d", rng.nextInt(10) == 0 ? rng.nextInt(100) : rng.nextInt(61)));
        if (rng.nextBoolean()) {
            b.append('.');
            int digits = rng.nextInt(12);
            for (int d = 0; d < digits; d++) {
                b.append(rng.nextInt(10));
            }
        }
        switch (rng.nextInt(6)) {
            case 0 -> b.append('Z');
            case 1 -> b.append('z');
            case 2 -> { }
            default -> {
                b.append(rng.nextBoolean() ? '+' : '-');
                b.append(String.format("%02d", rng.nextInt(4) == 0 ? rng.nextInt(30) : rng.nextInt(19)));
                b.append(pick(rng, ":", ":", ":", ""));
                b.append(String.format("%02d", rng.nextInt(4) == 0 ? rng.nextInt(70) : rng.nextInt(60)));
                if (rng.nextInt(20) == 0) {
                    b.append(":00");
                }
            }
        }
        if (rng.nextInt(50) == 0) {
            b.append(' ');
        }
        return b.toString();
    }

    private static String pick(Random rng, String... options) {
        return options[rng.nextInt(options.length)];
    }
}
