package org.parley.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** The contract module's documents, and validation against its schema (draft 2020-12). */
public final class ContractSchema {
    // Formats (uuid, date-time) are annotations only in 2020-12 unless asserted; the contract means them.
    private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(ContractFiles.schema(), SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

    private ContractSchema() {
    }

    /** The schema's complaints about a record value (JSON text or a Map); empty when it satisfies the contract. */
    public static Set<String> violations(Object recordValue) {
        JsonNode node;
        try {
            node = recordValue instanceof String text ? StatementBodies.JSON.readTree(text) : StatementBodies.JSON.valueToTree(recordValue);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SCHEMA.validate(node).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    /** Example records by file name, one per type. */
    public static Map<String, String> examples() {
        return ContractFiles.examples();
    }
}
