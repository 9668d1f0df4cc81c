package org.parley.status.contract;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.parley.contract.StatementType;

/**
 * Bodies as a newsroom might post them, mostly almost valid, rich in the classes that once split ingest's
 * verdict from status-service's: NUL and other control characters, unpaired surrogates, invisible-only text
 * (U+00A0, U+FEFF, U+200B), byte order marks, years 0000 and 9999 with offsets, leap seconds, offsets out of
 * range, numbers and other JSON where strings belong, lengths at and over the limits, self-retractions.
 */
final class NastyBodies {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final String[] COUNTRIES = { "USA", "PRK", "KOR", "CHN", "usa", "XXX", "US", "" };
    private static final String[] NASTY_TEXT = { "\u0000", "\ud800", "\udc00", "\u00a0", "\ufeff", "\u200b", "\u0007",
            "\u007f", "\u0085", "\u2028", "\t", "\n", " ", "\ud83d\ude00", "é", "中", "\\", "\"" };
    private static final String[] DATES = { "2025-10-24T03:00:00Z", "2025-10-24T12:00:00.123456789+09:00",
            "0000-06-01T00:00:00Z", "0001-01-01T00:30:00+01:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00",
            "9999-12-31T23:59:59Z", "9999-12-31T23:59:59+01:00", "2016-12-31T23:59:60Z", "2025-10-24T03:00:00+19:00",
            "2025-10-24T03:00:00-00:00", "2025-10-24t03:00:00z", "2025-10-24T03:00Z", "2025-02-29T03:00:00Z",
            "2026-01-02T11:59:59Z", "2026-01-02T12:00:01Z", "+10000-01-01T00:00:00Z", "2025-10-24T03:00:00.1234567891Z" };

    private NastyBodies() {
    }

    static Map<String, Object> body(Random random) {
        StatementType type = StatementType.values()[random.nextInt(StatementType.values().length)];
        Map<String, Object> body = new LinkedHashMap<>();
        String eventId = UUID.randomUUID().toString();
        if (random.nextInt(3) == 0) {
            body.put("eventId", random.nextInt(8) == 0 ? odd(random) : eventId);
        }
        body.put("type", random.nextInt(20) == 0 ? odd(random) : type.name());
        body.put("source", random.nextInt(6) == 0 ? pick(random, COUNTRIES) : "USA");
        body.put("target", random.nextInt(6) == 0 ? pick(random, COUNTRIES) : "PRK");
        body.put("occurredAt", random.nextInt(3) == 0 ? date(random) : "2025-10-24T03:00:00Z");
        for (String field : List.of("speaker", "summary", "quote", "location")) {
            if (random.nextInt(3) == 0 && (!field.equals("location") || random.nextBoolean())) {
                body.put(field, random.nextInt(10) == 0 ? odd(random) : text(random, field.equals("summary") ? 2000 : 200));
            }
        }
        if (random.nextInt(4) == 0) {
            body.put("sourceUrl", random.nextInt(8) == 0 ? odd(random) : "https://example.org/" + text(random, 30));
        }
        switch (type) {
            case CONDITIONS_REITERATED -> body.put("conditions", positions(random));
            case INCENTIVE_OFFERED, INVITATION_ISSUED -> {
                if (type == StatementType.INCENTIVE_OFFERED || random.nextBoolean()) {
                    body.put("incentives", positions(random));
                }
            }
            case STATEMENT_RETRACTED -> body.put("retracts", random.nextInt(6) == 0 && body.containsKey("eventId")
                    ? body.get("eventId") : UUID.randomUUID().toString());
            case MEETING_SCHEDULED, MEETING_HELD -> {
                if (random.nextBoolean()) {
                    body.put("meetingAt", date(random));
                }
            }
            default -> {
            }
        }
        if (random.nextInt(30) == 0) { // a field another type needs, or none at all
            body.put(pick(random, new String[] { "conditions", "retracts", "meetingAt", "mood" }), "x");
        }
        return body;
    }

    private static List<Object> positions(Random random) {
        List<Object> items = new ArrayList<>();
        int n = random.nextInt(12) == 0 ? random.nextInt(23) : 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            items.add(random.nextInt(15) == 0 ? odd(random) : text(random, 500));
        }
        return items;
    }

    /** Mostly plain words, sometimes with nasty characters or only them, sometimes at or over the limit. */
    private static String text(Random random, int limit) {
        StringBuilder text = new StringBuilder();
        switch (random.nextInt(8)) {
            case 0 -> {
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    text.append(pick(random, NASTY_TEXT));
                }
            }
            case 1 -> text.append("x".repeat(limit - 1 + random.nextInt(3)));
            default -> {
                text.append("word");
                for (int i = random.nextInt(4); i > 0; i--) {
                    text.append(random.nextBoolean() ? " more" : pick(random, NASTY_TEXT));
                }
            }
        }
        return text.toString();
    }

    private static String date(Random random) {
        return pick(random, DATES);
    }

    /** JSON where a string belongs, or a string that is not what it should be. */
    private static Object odd(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> 42;
            case 1 -> 1.5;
            case 2 -> true;
            case 3 -> List.of("a");
            case 4 -> Map.of("a", "b");
            case 5 -> "";
            default -> pick(random, NASTY_TEXT);
        };
    }

    private static <T> T pick(Random random, T[] options) {
        return options[random.nextInt(options.length)];
    }
}
