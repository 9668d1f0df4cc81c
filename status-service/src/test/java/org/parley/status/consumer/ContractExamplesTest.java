package org.parley.status.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.contract.ContractFiles;
import org.parley.contract.RelationshipId;
import org.parley.contract.Statement;
import org.parley.contract.StatementRules;
import org.parley.contract.StatementType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

/**
 * The contract module's JSON Schema and one example per statement type, read from the class path: status-service
 * must parse every example into a Statement carrying every field, and its decoder must agree with the schema
 * on what breaks the contract, apart from the rules the schema cannot say.
 */
class ContractExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonSchema schema;
    static Map<String, ObjectNode> examples = new TreeMap<>();

    @BeforeAll
    static void load() throws IOException {
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(ContractFiles.schema(), SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        for (Map.Entry<String, String> example : ContractFiles.examples().entrySet()) {
            examples.put(example.getKey(), (ObjectNode) JSON.readTree(example.getValue()));
        }
        assertThat(examples).isNotEmpty();
    }

    @Test
    void everyExampleValidatesAgainstTheSchema() {
        examples.forEach((name, example) -> assertThat(schema.validate(example)).as(name).isEmpty());
    }

    @Test
    void everyExampleParsesIntoAStatementCarryingEveryField() throws Exception {
        Set<String> fieldsSeen = new HashSet<>();
        Set<StatementType> typesSeen = EnumSet.noneOf(StatementType.class);
        for (Map.Entry<String, ObjectNode> entry : examples.entrySet()) {
            ObjectNode example = entry.getValue();
            String key = RelationshipId.of(example.get("source").asText(), example.get("target").asText());
            StatementParser.Result result = StatementParser.parse(key.getBytes(StandardCharsets.UTF_8),
                    example.toString().getBytes(StandardCharsets.UTF_8));
            assertThat(result).as(entry.getKey()).isInstanceOf(StatementParser.Parsed.class);
            Statement statement = ((StatementParser.Parsed) result).statement();
            typesSeen.add(statement.type());

            for (RecordComponent component : Statement.class.getRecordComponents()) {
                Object value = component.getAccessor().invoke(statement);
                JsonNode json = example.get(component.getName());
                String what = entry.getKey() + ": " + component.getName();
                if (json == null) {
                    assertThat(value).as(what).satisfiesAnyOf(v -> assertThat(v).isNull(),
                            v -> assertThat(v).isEqualTo(List.of()));
                    continue;
                }
                fieldsSeen.add(component.getName());
                assertThat(value).as(what).isEqualTo(expected(json, component.getType()));
            }
            // The stored payload is the same JSON, field for field.
            assertThat(JSON.readTree(((StatementParser.Parsed) result).payload())).isEqualTo(example);
        }
        assertThat(typesSeen).as("an example per type").containsExactlyInAnyOrder(StatementType.values());
        Set<String> components = new HashSet<>();
        for (RecordComponent component : Statement.class.getRecordComponents()) {
            components.add(component.getName());
        }
        assertThat(fieldsSeen).as("every field appears in some example").isEqualTo(components);
    }

    private static Object expected(JsonNode json, Class<?> type) {
        if (type == Instant.class) {
            return Instant.parse(json.asText());
        }
        if (type == UUID.class) {
            return UUID.fromString(json.asText());
        }
        if (type == StatementType.class) {
            return StatementType.valueOf(json.asText());
        }
        if (type == List.class) {
            List<String> items = new ArrayList<>();
            json.forEach(item -> items.add(item.asText()));
            return items;
        }
        return json.asText();
    }

    /**
     * Variants of every example, broken or not: the decoder accepts exactly what the schema accepts, except for
     * the rules the schema leaves to the decoder (docs/api.md, the event contract): real, different country codes,
     * text that shows something, and JSON null taken as an absent field.
     */
    @Test
    void theParserAgreesWithTheSchemaOnVariantsOfEveryExample() {
        Map<String, JsonNode> optional = new TreeMap<>(Map.of(
                "speaker", JSON.getNodeFactory().textNode("Someone"),
                "summary", JSON.getNodeFactory().textNode("Something happened."),
                "quote", JSON.getNodeFactory().textNode("Words."),
                "sourceUrl", JSON.getNodeFactory().textNode("https://example.org/x"),
                "conditions", JSON.createArrayNode().add("A condition"),
                "incentives", JSON.createArrayNode().add("An incentive"),
                "retracts", JSON.getNodeFactory().textNode(UUID.randomUUID().toString()),
                "meetingAt", JSON.getNodeFactory().textNode("2025-12-01T02:00:00Z"),
                "location", JSON.getNodeFactory().textNode("Panmunjom")));
        List<JsonNode> odd = List.of(JSON.nullNode(), JSON.getNodeFactory().numberNode(42),
                JSON.getNodeFactory().textNode(""), JSON.getNodeFactory().textNode(" "),
                JSON.getNodeFactory().textNode("x".repeat(201)), JSON.getNodeFactory().textNode("y".repeat(2001)),
                JSON.getNodeFactory().booleanNode(true), JSON.createArrayNode(), JSON.createObjectNode(),
                JSON.createArrayNode().add(""), JSON.createArrayNode().add("   "), JSON.createArrayNode().add(7),
                JSON.createArrayNode().add("z".repeat(501)), JSON.getNodeFactory().textNode("not a uuid"),
                JSON.getNodeFactory().textNode("2025-10-24"), JSON.getNodeFactory().textNode("2025-10-24T03:00:00"),
                JSON.getNodeFactory().textNode("2025-10-24T03:00:00.123456789Z"),
                JSON.getNodeFactory().textNode("2025-10-24T03:00:00+09:00"),
                JSON.getNodeFactory().textNode("ftp://example.org"),
                JSON.getNodeFactory().textNode("https://example.org/a b"),
                JSON.getNodeFactory().textNode("usa"), JSON.getNodeFactory().textNode("USAA"),
                JSON.getNodeFactory().textNode("INVITATION_ISSUED"),
                JSON.getNodeFactory().textNode("MEETING_HELD"),
                JSON.getNodeFactory().textNode("meeting_held"));
        var twentyOne = JSON.createArrayNode();
        for (int i = 0; i < 21; i++) {
            twentyOne.add("item " + i);
        }

        List<String> disagreements = new ArrayList<>();
        int variants = 0;
        for (Map.Entry<String, ObjectNode> entry : examples.entrySet()) {
            ObjectNode example = entry.getValue();
            List<Map.Entry<String, ObjectNode>> all = new ArrayList<>();
            for (Iterator<String> names = example.fieldNames(); names.hasNext();) {
                String name = names.next();
                ObjectNode without = example.deepCopy();
                without.remove(name);
                all.add(Map.entry("without " + name, without));
                for (JsonNode value : odd) {
                    all.add(Map.entry(name + "=" + abbreviated(value), example.deepCopy().set(name, value)));
                }
                all.add(Map.entry(name + "=21 items", example.deepCopy().set(name, twentyOne)));
            }
            optional.forEach((name, value) -> all.add(Map.entry("with " + name, example.deepCopy().set(name, value))));
            all.add(Map.entry("with an unknown property", example.deepCopy().put("mood", "tense")));

            for (Map.Entry<String, ObjectNode> variant : all) {
                ObjectNode node = variant.getValue();
                boolean schemaAccepts = schema.validate(node).isEmpty();
                boolean parserAccepts = StatementRules.record(node).valid();
                if (schemaAccepts && !parserAccepts && (sameOrFakeCountry(node) || blankText(node) || tooEarlyRecorded(node))
                        || !schemaAccepts && parserAccepts && variant.getKey().endsWith("=null")) {
                    continue; // the documented extra rules
                }
                variants++;
                if (schemaAccepts != parserAccepts) {
                    disagreements.add(entry.getKey() + " " + variant.getKey() + ": schema "
                            + (schemaAccepts ? "accepts" : "rejects") + ", parser "
                            + (parserAccepts ? "accepts" : "rejects: " + StatementRules.record(node).errors()));
                }
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(variants).isGreaterThan(1000);
    }

    private static boolean sameOrFakeCountry(ObjectNode node) {
        String source = node.path("source").asText();
        String target = node.path("target").asText();
        return source.equals(target) || !StatementParserTest.isIso(source)
                || !StatementParserTest.isIso(target);
    }

    /** occurredAt more than 24 h after recordedAt (what ingest refuses as "in the future"). */
    private static boolean tooEarlyRecorded(ObjectNode node) {
        return StatementRules.record(node).errors().stream().allMatch(e -> e.message().contains("after recordedAt"));
    }

    /** A text field present but showing nothing: "", " ". */
    private static boolean blankText(ObjectNode node) {
        for (String field : List.of("speaker", "summary", "quote", "location")) {
            if (node.path(field).isTextual() && node.path(field).textValue().isBlank()) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviated(JsonNode value) {
        String text = value.toString();
        return text.length() > 30 ? text.substring(0, 30) + "..." : text;
    }
}
