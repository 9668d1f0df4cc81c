package org.parley.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

/** The examples satisfy the schema and the rules, one per type, decode into every field of Statement, and read
 * back from storage as the same statement. */
class SchemaAgreementTest {
    // Formats (uuid, date-time) are annotations only in 2020-12 unless asserted; the contract means them.
    static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(ContractFiles.schema(), SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

    @Test
    void everyExampleSatisfiesSchemaAndRulesAndRoundTrips() throws Exception {
        Set<StatementType> types = EnumSet.noneOf(StatementType.class);
        for (Map.Entry<String, String> example : ContractFiles.examples().entrySet()) {
            JsonNode node = StatementJson.read(example.getValue().getBytes(StandardCharsets.UTF_8));
            assertThat(SCHEMA.validate(node)).as(example.getKey()).isEmpty();
            StatementRules.Result result = StatementRules.record(node);
            assertThat(result.errors()).as(example.getKey()).isEmpty();
            types.add(result.statement().type());
            // read back from storage, unchecked: the same statement
            assertThat(StatementRules.stored(example.getValue())).as(example.getKey()).isEqualTo(result.statement());
            // what the codec writes is what the example says
            assertThat(StatementJson.JSON.readTree(StatementJson.write(result.statement()))).as(example.getKey()).isEqualTo(node);
        }
        assertThat(types).isEqualTo(EnumSet.allOf(StatementType.class));
    }

    @Test
    void theTypeEnumIsTheSchemas() throws Exception {
        JsonNode schema = StatementJson.JSON.readTree(ContractFiles.schema());
        assertThat(schema.at("/properties/type/enum")).extracting(JsonNode::asText)
                .containsExactly(EnumSet.allOf(StatementType.class).stream().map(Enum::name).toArray(String[]::new));
        java.util.Set<String> fields = new java.util.HashSet<>();
        schema.at("/properties").fieldNames().forEachRemaining(fields::add);
        assertThat(fields).isEqualTo(StatementRules.FIELDS);
    }
}
