package org.parley.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** The contract files under src/main/resources/contract, and validation against the schema (draft 2020-12). */
public final class Contract {
    private static final JsonSchema SCHEMA = load();

    private Contract() {
    }

    /** The schema's complaints about a record value (JSON text or a Map); empty when it satisfies the contract. */
    public static Set<String> violations(Object recordValue) {
        JsonNode node;
        try {
            node = recordValue instanceof String text ? Statements.JSON.readTree(text) : Statements.JSON.valueToTree(recordValue);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SCHEMA.validate(node).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    public static List<Path> examples() {
        try (Stream<Path> files = Files.list(Path.of(Contract.class.getResource("/contract/examples").toURI()))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema load() {
        // Formats (uuid, date-time) are annotations only in 2020-12 unless asserted; the contract means them.
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = Contract.class.getResourceAsStream("/contract/statement-event.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
