package org.parley.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.parley.contract.EventCoding.Code;
import org.parley.contract.EventCoding.Coding;

import com.fasterxml.jackson.databind.JsonNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The coding table covers every type, agrees with the schema, and decides which cameoCode a statement may carry. */
class EventCodingTest {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final Set<StatementType> NOT_CODED = EnumSet.of(StatementType.NO_RESPONSE, StatementType.STATEMENT_RETRACTED);

    @Example
    void everyTypeIsCodedButNoResponseAndRetractions() {
        for (StatementType type : StatementType.values()) {
            assertThat(EventCoding.isCoded(type)).as(type.name()).isEqualTo(!NOT_CODED.contains(type));
            EventCoding.of(type).ifPresent(coding -> {
                assertThat(coding.accepted()).as(type.name()).containsEntry(coding.standard().cameo(), coding.standard());
                for (Code code : coding.accepted().values()) {
                    assertThat(code.cameo()).as(type + " " + code).matches("[0-9]{2,4}");
                    assertThat(code.goldstein()).as(type + " " + code).isBetween(-10.0, 10.0);
                    // the Goldstein score and PLOVER's quad category put the event on the same side
                    assertThat(code.goldstein() > 0).as(type + " " + code)
                            .isEqualTo(code.event().kind == EventCoding.Kind.COOPERATIVE);
                }
            });
        }
    }

    @Example
    void theBasisOfTheTable() {
        // PLOVER: invitations to visit and future meetings are AGREE; a cancelled meeting is REJECT (meet).
        assertThat(standard(StatementType.INVITATION_ISSUED)).isEqualTo(new Code("036", 4.0,
                "Express intent to meet or negotiate", EventCoding.Plover.AGREE, null, "diplomatic"));
        assertThat(standard(StatementType.MEETING_SCHEDULED).event()).isEqualTo(EventCoding.Plover.AGREE);
        assertThat(standard(StatementType.INVITATION_WITHDRAWN).event()).isEqualTo(EventCoding.Plover.REJECT);
        assertThat(standard(StatementType.CONDITIONS_REITERATED)).extracting(Code::cameo, Code::goldstein, Code::event,
                Code::mode).containsExactly("1042", -5.0, EventCoding.Plover.REQUEST, "change");
        assertThat(standard(StatementType.INVITATION_DECLINED)).extracting(Code::cameo, Code::goldstein, Code::mode)
                .containsExactly("125", -5.0, "meet");
        assertThat(standard(StatementType.INCENTIVE_OFFERED)).extracting(Code::cameo, Code::goldstein)
                .containsExactly("0354", 7.0);
    }

    @Example
    void theSchemaListsTheTablesCodes() throws Exception {
        JsonNode schema = StatementJson.JSON.readTree(ContractFiles.schema());
        Map<String, List<String>> bySchema = new HashMap<>();
        Set<String> forbidden = new LinkedHashSet<>();
        for (JsonNode rule : schema.get("allOf")) {
            JsonNode type = rule.at("/if/properties/type");
            JsonNode codes = rule.at("/then/properties/cameoCode/enum");
            if (!codes.isMissingNode()) {
                List<String> list = new ArrayList<>();
                codes.forEach(code -> list.add(code.textValue()));
                bySchema.put(type.get("const").textValue(), list);
            }
            if (rule.at("/then/not/required").toString().contains("cameoCode")) {
                type.get("enum").forEach(t -> forbidden.add(t.textValue()));
            }
        }
        Map<String, List<String>> byTable = new HashMap<>();
        for (StatementType type : StatementType.values()) {
            EventCoding.of(type).ifPresent(coding -> byTable.put(type.name(), List.copyOf(coding.accepted().keySet())));
        }
        assertThat(bySchema).isEqualTo(byTable);
        assertThat(forbidden).containsExactlyInAnyOrder(NOT_CODED.stream().map(Enum::name).toArray(String[]::new));
    }

    /** Any type, any code: the rules accept it exactly when the table does, and so does the schema. */
    @Property(tries = 400)
    void aCameoCodeIsAcceptedExactlyWhenTheTableAcceptsIt(@ForAll StatementType type, @ForAll("codes") String cameo)
            throws Exception {
        JsonNode body = StatementJson.read(body(type, cameo).getBytes(StandardCharsets.UTF_8));
        StatementRules.Result result = StatementRules.request(body, NOW);
        boolean expected = EventCoding.of(type).flatMap(coding -> coding.accepts(cameo)).isPresent();
        assertThat(result.valid()).as(result.errors().toString()).isEqualTo(expected);
        if (expected) {
            assertThat(result.statement().cameoCode()).isEqualTo(cameo);
            assertThat(EventCoding.of(result.statement())).map(Code::cameo).contains(cameo);
            // stored and read back: the code is kept as the same string
            String stored = new String(StatementJson.write(result.statement().withRecordedAt(NOW)), StandardCharsets.UTF_8);
            assertThat(StatementRules.stored(stored).cameoCode()).isEqualTo(cameo);
        } else {
            assertThat(result.errors()).extracting(FieldError::field).containsExactly("cameoCode");
        }
        // the published record: the schema gives the same verdict
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("eventId", "6f1c2a8e-3b7d-4e51-9a0c-2d4e8f6a1b01")
                .put("recordedAt", "2025-10-24T03:05:00Z");
        assertThat(SchemaAgreementTest.SCHEMA.validate(body).isEmpty()).as(body.toString()).isEqualTo(expected);
    }

    @Example
    void withoutACodeAStatementGetsItsTypes() throws Exception {
        for (StatementType type : StatementType.values()) {
            JsonNode body = StatementJson.read(body(type, null).getBytes(StandardCharsets.UTF_8));
            Statement statement = StatementRules.request(body, NOW).statement();
            assertThat(EventCoding.of(statement)).isEqualTo(EventCoding.of(type).map(Coding::standard));
        }
    }

    @Provide
    Arbitrary<String> codes() {
        List<String> known = new ArrayList<>();
        for (StatementType type : StatementType.values()) {
            EventCoding.of(type).ifPresent(coding -> known.addAll(coding.accepted().keySet()));
        }
        // the table's codes, the same without their leading zero (36 is not 036), and any digits
        Arbitrary<String> table = Arbitraries.of(known);
        return Arbitraries.oneOf(table, table.map(code -> code.replaceFirst("^0", "")),
                Arbitraries.strings().numeric().ofMinLength(2).ofMaxLength(4), Arbitraries.of("", "O36", "036 "));
    }

    /** A valid body of the type (its required fields present), with cameoCode if not null. */
    static String body(StatementType type, String cameo) {
        String extra = switch (type) {
            case CONDITIONS_REITERATED -> ",\"conditions\":[\"Recognition\"]";
            case INCENTIVE_OFFERED -> ",\"incentives\":[\"Sanctions relief\"]";
            case STATEMENT_RETRACTED -> ",\"retracts\":\"6f1c2a8e-3b7d-4e51-9a0c-2d4e8f6a1b02\"";
            default -> "";
        };
        String code = cameo == null ? "" : ",\"cameoCode\":" + StatementJson.JSON.valueToTree(cameo);
        return "{\"type\":\"" + type + "\",\"source\":\"USA\",\"target\":\"PRK\",\"occurredAt\":\"2025-10-24T03:00:00Z\""
                + extra + code + "}";
    }

    private static Code standard(StatementType type) {
        return EventCoding.of(type).orElseThrow().standard();
    }
}
