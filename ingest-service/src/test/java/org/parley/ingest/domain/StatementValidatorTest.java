package org.parley.ingest.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.ingest.Statements.valid;
import static org.parley.ingest.Statements.with;
import static org.parley.ingest.Statements.without;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.ingest.Contract;
import org.parley.ingest.RuleCases;
import org.parley.ingest.Statements;

/** The rules, without Quarkus or Kafka. */
class StatementValidatorTest {
    private static final UUID ASSIGNED = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private final Instant now = Instant.parse("2026-01-01T12:00:00Z");
    private final StatementValidator validator = new StatementValidator(Clock.fixed(now, ZoneOffset.UTC), () -> ASSIGNED);

    static Stream<RuleCases.Case> rules() {
        return RuleCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachBrokenRuleIsReportedOnItsField(RuleCases.Case rule) {
        // The 24 h case is built against the real clock; use it here too.
        StatementValidator.Result result = new StatementValidator(Clock.systemUTC(), UUID::randomUUID).validate(rule.event());

        assertThat(result.valid()).isFalse();
        assertThat(result.event()).isNull();
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo(rule.field());
            assertThat(error.message()).contains(rule.message());
        });
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void aMinimalEventOfEveryTypeIsValid(EventType type) {
        Map<String, Object> input = valid(type);
        StatementValidator.Result result = validator.validate(input);

        assertThat(result.errors()).isEmpty();
        assertThat(result.event().type()).isEqualTo(type);
        assertThat(result.event().eventId()).hasToString((String) input.get("eventId"));
    }

    @Test
    void everyContractExampleIsValidInput() {
        for (Path file : Contract.examples()) {
            Map<String, Object> example = without(Statements.parse(Contract.read(file)), "recordedAt");
            assertThat(validator.validate(example).errors()).as(file.getFileName().toString()).isEmpty();
        }
    }

    @Test
    void assignsAnEventIdWhenNoneIsSent() {
        assertThat(validator.validate(without(valid(EventType.NO_RESPONSE), "eventId")).event().eventId()).isEqualTo(ASSIGNED);
        assertThat(validator.validate(with(valid(EventType.NO_RESPONSE), "eventId", null)).event().eventId()).isEqualTo(ASSIGNED);
    }

    @Test
    void normalisesIdsAndInstants() {
        Map<String, Object> input = with(valid(EventType.NO_RESPONSE), "eventId", "6F1C2A8E-3B7D-4E51-9A0C-2D4E8F6A1B01");
        input.put("occurredAt", "2025-10-24T12:00:00.5+09:00");
        StatementEvent event = validator.validate(input).event();

        assertThat(event.eventId()).hasToString("6f1c2a8e-3b7d-4e51-9a0c-2d4e8f6a1b01");
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2025-10-24T03:00:00.500Z"));
    }

    @Test
    void limitsAreInclusive() {
        Map<String, Object> input = valid(EventType.CONDITIONS_REITERATED);
        input.put("occurredAt", now.plusSeconds(24 * 3600).toString());
        input.put("speaker", "s".repeat(200));
        input.put("summary", "s".repeat(2000));
        input.put("quote", "q".repeat(2000));
        input.put("sourceUrl", "https://example.org/" + "a".repeat(2028));
        input.put("conditions", Collections.nCopies(20, "c".repeat(500)));

        assertThat(validator.validate(input).errors()).isEmpty();
    }

    @Test
    void lengthsCountCharactersNotUtf16Units() {
        // 200 emoji are 400 UTF-16 units but 200 characters, as JSON Schema's maxLength counts them.
        assertThat(validator.validate(with(valid(EventType.NO_RESPONSE), "speaker", "\uD83D\uDE00".repeat(200))).errors()).isEmpty();
    }

    @Test
    void reportsEveryBrokenRuleAtOnce() {
        Map<String, Object> input = Map.of("type", "NOPE", "source", "usa", "occurredAt", "soon", "recordedAt", "x");
        assertThat(validator.validate(input).errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("recordedAt", "type", "source", "target", "occurredAt");
    }

    @Test
    void anythingButAnObjectIsRefused() {
        assertThat(validator.validate(List.of()).errors()).extracting(FieldError::message).containsExactly("expected a JSON object (one event)");
        assertThat(validator.validate("event").valid()).isFalse();
        assertThat(validator.validate(null).valid()).isFalse();
    }

    @Test
    void relationshipIdSortsTheCodes() {
        assertThat(StatementEvent.relationshipId("USA", "PRK")).isEqualTo("PRK-USA");
        assertThat(StatementEvent.relationshipId("PRK", "USA")).isEqualTo("PRK-USA");
        assertThat(validator.validate(valid(EventType.NO_RESPONSE, "USA", "CHN")).event().relationshipId()).isEqualTo("CHN-USA");
    }

    @Test
    void aBatchNamesTheIndexOfEveryBadItem() {
        List<Object> items = new ArrayList<>(List.of(valid(EventType.NO_RESPONSE), with(valid(EventType.NO_RESPONSE), "source", "XX"),
                valid(EventType.NO_RESPONSE), "not an event", without(valid(EventType.CONDITIONS_REITERATED), "conditions")));
        StatementValidator.BatchResult result = validator.validateBatch(items);

        assertThat(result.events()).isEmpty();
        assertThat(result.errors()).extracting(FieldError::field).containsExactly("[1].source", "[3]", "[4].conditions");
    }

    @Test
    void aValidBatchKeepsItsOrder() {
        List<Map<String, Object>> items = Statements.many(3);
        assertThat(validator.validateBatch(items).events()).extracting(e -> e.eventId().toString())
                .containsExactly(items.stream().map(e -> (String) e.get("eventId")).toArray(String[]::new));
    }

    @Test
    void aBatchHoldsOneToAThousandEvents() {
        assertThat(validator.validateBatch(Statements.many(1000)).valid()).isTrue();
        assertThat(validator.validateBatch(Statements.many(1001)).errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("1 to 1000").contains("1001"));
        assertThat(validator.validateBatch(List.of()).valid()).isFalse();
        assertThat(validator.validateBatch(valid(EventType.NO_RESPONSE)).errors()).extracting(FieldError::message)
                .containsExactly("expected a JSON array of events");
    }
}
