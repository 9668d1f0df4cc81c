package org.parley.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.contract.StatementBodies.valid;
import static org.parley.contract.StatementBodies.with;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The validator and the JSON Schema (the contract status-service reads) say the same thing. */
class ContractAgreementTest {
    private final StatementBodies.Validator validator = new StatementBodies.Validator(Instant.now());

    @Test
    void theExamplesSatisfyTheSchemaOnePerType() {
        Set<String> types = new java.util.HashSet<>();
        for (Map.Entry<String, String> file : ContractSchema.examples().entrySet()) {
            Map<String, Object> example = StatementBodies.parse(file.getValue());
            assertThat(ContractSchema.violations(example)).as(file.getKey()).isEmpty();
            assertThat(types.add((String) example.get("type"))).as("second example of " + example.get("type")).isTrue();
        }
        assertThat(types).isEqualTo(EnumSet.allOf(StatementType.class).stream().map(Enum::name).collect(Collectors.toSet()));
    }

    static Stream<RuleCases.Case> rules() {
        return RuleCases.all();
    }

    /** A rule the schema can express is also broken in the schema's eyes; the others the schema leaves to us. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void theSchemaAgreesOnEveryRuleItCanExpress(RuleCases.Case rule) {
        Map<String, Object> record = new LinkedHashMap<>(rule.event());
        record.putIfAbsent("recordedAt", "2025-10-24T03:05:00Z");
        assertThat(ContractSchema.violations(record)).as(rule.rule()).matches(v -> v.isEmpty() != rule.schema(), rule.schema() ? "rejected" : "accepted");
    }

    static Stream<Arguments> typeDependentFields() {
        Map<String, Object> samples = Map.of("conditions", List.of("c"), "incentives", List.of("i"),
                "retracts", UUID.randomUUID().toString(), "meetingAt", "2025-12-01T02:00:00Z", "location", "Geneva");
        return Stream.of(StatementType.values()).flatMap(type -> samples.entrySet().stream()
                .flatMap(field -> Stream.of(Arguments.of(type, field.getKey(), field.getValue()), Arguments.of(type, field.getKey(), null))));
    }

    /** For every type and every type-dependent field, present or absent: valid for us exactly when valid for the schema. */
    @ParameterizedTest(name = "{0} with {1}={2}")
    @MethodSource("typeDependentFields")
    void typeRulesMatchTheSchema(StatementType type, String field, Object value) {
        Map<String, Object> input = value == null ? StatementBodies.without(valid(type), field) : with(valid(type), field, value);
        StatementRules.Result result = validator.validate(input);
        Map<String, Object> record = new LinkedHashMap<>(input);
        record.put("recordedAt", Instant.now().toString());

        assertThat(ContractSchema.violations(record).isEmpty()).isEqualTo(result.valid());
    }
}
