package org.parley.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.contract.StatementBodies.valid;
import static org.parley.contract.StatementBodies.with;
import static org.parley.contract.StatementBodies.without;

import java.time.Instant;
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

/** The contract's rules as ingest applies them to posted bodies, without Quarkus or Kafka. */
class StatementRulesTest {
    private final Instant now = Instant.parse("2026-01-01T12:00:00Z");
    private final StatementBodies.Validator validator = new StatementBodies.Validator(now);

    static Stream<RuleCases.Case> rules() {
        return RuleCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachBrokenRuleIsReportedOnItsField(RuleCases.Case rule) {
        // The 24 h case is built against the real clock; use it here too.
        StatementRules.Result result = new StatementBodies.Validator(Instant.now()).validate(rule.event());

        assertThat(result.valid()).isFalse();
        assertThat(result.statement()).isNull();
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo(rule.field());
            assertThat(error.message()).contains(rule.message());
        });
    }

    @ParameterizedTest
    @EnumSource(StatementType.class)
    void aMinimalEventOfEveryTypeIsValid(StatementType type) {
        Map<String, Object> input = valid(type);
        StatementRules.Result result = validator.validate(input);

        assertThat(result.errors()).isEmpty();
        assertThat(result.statement().type()).isEqualTo(type);
        assertThat(result.statement().eventId()).hasToString((String) input.get("eventId"));
    }

    @Test
    void everyContractExampleIsValidInput() {
        ContractSchema.examples().forEach((name, json) ->
                assertThat(validator.validate(without(StatementBodies.parse(json), "recordedAt")).errors()).as(name).isEmpty());
    }

    @Test
    void derivesTheEventIdFromTheContentWhenNoneIsSent() {
        Map<String, Object> body = without(valid(StatementType.NO_RESPONSE), "eventId");
        UUID derived = validator.validate(body).statement().eventId();

        assertThat(derived).isNotNull();
        assertThat(new StatementBodies.Validator(now.plusSeconds(3600)).validate(body).statement().eventId()).isEqualTo(derived);
        assertThat(validator.validate(with(body, "eventId", null)).statement().eventId()).isEqualTo(derived);
        assertThat(validator.validate(with(body, "summary", "other")).statement().eventId()).isNotEqualTo(derived);
    }

    @Test
    void normalisesIdsAndInstants() {
        Map<String, Object> input = with(valid(StatementType.NO_RESPONSE), "eventId", "6F1C2A8E-3B7D-4E51-9A0C-2D4E8F6A1B01");
        input.put("occurredAt", "2025-10-24T12:00:00.5+09:00");
        Statement event = validator.validate(input).statement();

        assertThat(event.eventId()).hasToString("6f1c2a8e-3b7d-4e51-9a0c-2d4e8f6a1b01");
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2025-10-24T03:00:00.500Z"));
    }

    @Test
    void limitsAreInclusive() {
        Map<String, Object> input = valid(StatementType.CONDITIONS_REITERATED);
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
        assertThat(validator.validate(with(valid(StatementType.NO_RESPONSE), "speaker", "\uD83D\uDE00".repeat(200))).errors()).isEmpty();
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
        assertThat(RelationshipId.of("USA", "PRK")).isEqualTo("PRK-USA");
        assertThat(RelationshipId.of("PRK", "USA")).isEqualTo("PRK-USA");
        assertThat(validator.validate(valid(StatementType.NO_RESPONSE, "USA", "CHN")).statement().relationshipId()).isEqualTo("CHN-USA");
    }

    @Test
    void aBatchNamesTheIndexOfEveryBadItem() {
        List<Object> items = new ArrayList<>(List.of(valid(StatementType.NO_RESPONSE), with(valid(StatementType.NO_RESPONSE), "source", "XX"),
                valid(StatementType.NO_RESPONSE), "not an event", without(valid(StatementType.CONDITIONS_REITERATED), "conditions")));
        StatementRules.BatchResult result = validator.validateBatch(items);

        assertThat(result.statements()).isEmpty();
        assertThat(result.errors()).extracting(FieldError::field).containsExactly("[1].source", "[3]", "[4].conditions");
    }

    @Test
    void aValidBatchKeepsItsOrder() {
        List<Map<String, Object>> items = StatementBodies.many(3);
        assertThat(validator.validateBatch(items).statements()).extracting(e -> e.eventId().toString())
                .containsExactly(items.stream().map(e -> (String) e.get("eventId")).toArray(String[]::new));
    }

    @Test
    void aBatchHoldsOneToAThousandEvents() {
        assertThat(validator.validateBatch(StatementBodies.many(1000)).valid()).isTrue();
        assertThat(validator.validateBatch(StatementBodies.many(1001)).errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("1 to 1000").contains("1001"));
        assertThat(validator.validateBatch(List.of()).valid()).isFalse();
        assertThat(validator.validateBatch(valid(StatementType.NO_RESPONSE)).errors()).extracting(FieldError::message)
                .containsExactly("expected a JSON array of events");
    }
}
