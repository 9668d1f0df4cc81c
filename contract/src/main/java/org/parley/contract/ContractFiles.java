package org.parley.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The contract's documents on the class path: the JSON Schema and one example record per statement type. */
public final class ContractFiles {
    public static final String SCHEMA = "/contract/statement-event.schema.json";

    private ContractFiles() {
    }

    public static String schema() {
        return read(SCHEMA);
    }

    /** Example records by file name (invitation-issued.json...), one per type, in the types' order. */
    public static Map<String, String> examples() {
        Map<String, String> examples = new LinkedHashMap<>();
        for (StatementType type : StatementType.values()) {
            String name = type.name().toLowerCase(Locale.ROOT).replace('_', '-') + ".json";
            examples.put(name, read("/contract/examples/" + name));
        }
        return examples;
    }

    private static String read(String resource) {
        try (InputStream in = ContractFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing contract resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
