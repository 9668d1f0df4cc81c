package org.parley.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties over generated input, checked against the real JSON Schema. */
class StatementPropertiesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final List<String> COUNTRIES = List.copyOf(new java.util.TreeSet<>(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3)));
    private static final String TEXT_CHARS = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,;:'\"-()äöüéßł中文한국어\\/\n\t";
    private static final List<String> FIELDS = List.of("eventId", "type", "source", "target", "occurredAt", "speaker",
            "summary", "quote", "sourceUrl", "conditions", "incentives", "retracts", "meetingAt", "location", "recordedAt", "extra");

    private final StatementBodies.Validator validator = new StatementBodies.Validator(NOW);

    /** Whatever the service accepts, it publishes in a form the contract accepts. */
    @Property(tries = 300)
    void acceptedEventsArePublishedAsTheContractSays(@ForAll("validEvents") Map<String, Object> input) {
        StatementRules.Result result = validator.validate(input);
        assertThat(result.errors()).isEmpty();

        Map<String, Object> record = StatementBodies.parse(new String(StatementJson.write(result.statement().withRecordedAt(NOW)), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(ContractSchema.violations(record)).isEmpty();
        assertThat(record.keySet()).containsAll(input.keySet());
    }

    /** No input makes the validator throw: bad input is a 400, never a 500. */
    @Property(tries = 1000)
    void anyJsonGetsAnAnswer(@ForAll("jsonObjects") Object input) {
        StatementRules.Result result = validator.validate(input);
        assertThat(result.valid()).isEqualTo(result.statement() != null);
    }

    @Provide
    Arbitrary<Map<String, Object>> validEvents() {
        return Arbitraries.randomValue(StatementPropertiesTest::validEvent);
    }

    @Provide
    Arbitrary<Object> jsonObjects() {
        return Arbitraries.randomValue(random -> {
            Map<String, Object> map = new LinkedHashMap<>();
            int n = random.nextInt(FIELDS.size());
            for (int i = 0; i < n; i++) {
                map.put(FIELDS.get(random.nextInt(FIELDS.size())), anyJson(random, 2));
            }
            return random.nextInt(10) == 0 ? anyJson(random, 2) : map;
        });
    }

    private static Map<String, Object> validEvent(Random random) {
        StatementType type = StatementType.values()[random.nextInt(StatementType.values().length)];
        String source = COUNTRIES.get(random.nextInt(COUNTRIES.size()));
        String target;
        do {
            target = COUNTRIES.get(random.nextInt(COUNTRIES.size()));
        } while (target.equals(source));
        Map<String, Object> event = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            event.put("eventId", UUID.randomUUID().toString());
        }
        event.put("type", type.name());
        event.put("source", source);
        event.put("target", target);
        event.put("occurredAt", instant(random));
        // Present text must show something (the contract's storable rule), hence a leading letter.
        maybe(random, event, "speaker", () -> "s" + text(random, 0, 199));
        maybe(random, event, "summary", () -> "s" + text(random, 0, 1999));
        maybe(random, event, "quote", () -> "q" + text(random, 0, 1999));
        maybe(random, event, "sourceUrl", () -> (random.nextBoolean() ? "https" : "HTTP") + "://example.org/" + text(random, 0, 40).replaceAll("[^a-z0-9]", "x"));
        if (type.conditions == StatementType.Presence.REQUIRED) {
            event.put("conditions", positions(random));
        }
        if (type.incentives == StatementType.Presence.REQUIRED || (type.incentives == StatementType.Presence.OPTIONAL && random.nextBoolean())) {
            event.put("incentives", positions(random));
        }
        if (type.retracts == StatementType.Presence.REQUIRED) {
            event.put("retracts", UUID.randomUUID().toString());
        }
        if (type.meeting == StatementType.Presence.OPTIONAL) {
            maybe(random, event, "meetingAt", () -> instant(random));
            maybe(random, event, "location", () -> "x" + text(random, 0, 199));
        }
        return event;
    }

    private static void maybe(Random random, Map<String, Object> event, String field, java.util.function.Supplier<Object> value) {
        if (random.nextBoolean()) {
            event.put(field, value.get());
        }
    }

    private static String instant(Random random) {
        Instant instant = NOW.minus(random.nextInt(365 * 100), ChronoUnit.DAYS).plusSeconds(random.nextInt(24 * 3600));
        if (random.nextBoolean()) {
            return instant.toString();
        }
        int hours = random.nextInt(25) - 12;
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(ZoneOffset.ofHours(hours)));
    }

    private static List<String> positions(Random random) {
        List<String> items = new ArrayList<>();
        int n = 1 + random.nextInt(20);
        for (int i = 0; i < n; i++) {
            items.add("p" + text(random, 0, 499));
        }
        return items;
    }

    private static String text(Random random, int min, int max) {
        int length = min + random.nextInt(max - min + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(TEXT_CHARS.charAt(random.nextInt(TEXT_CHARS.length())));
        }
        return text.toString();
    }

    private static Object anyJson(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 8 : 6)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt();
            case 3 -> random.nextDouble();
            case 4 -> text(random, 0, 5);
            case 5 -> List.of("USA", "PRK", "2025-10-24T03:00:00Z", "INVITATION_ISSUED", UUID.randomUUID().toString(), "").get(random.nextInt(6));
            case 6 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(anyJson(random, depth - 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put(FIELDS.get(random.nextInt(FIELDS.size())), anyJson(random, depth - 1));
                yield map;
            }
        };
    }
}
