package org.parley.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one configured JSON codec of the contract: strict reading, the record value's writing. */
public final class StatementJson {
    /**
     * Duplicate names are refused (which of two "source" values would be meant?), and so is anything after the
     * value. A UTF-8 byte order mark before the value is skipped, as RFC 8259 allows a parser to.
     */
    public static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /** Not JSON: where the parser was (a field path such as "conditions[1]" or "[3].source", or null), and why. */
    public static final class SyntaxError extends Exception {
        public final String path;
        public final int line;
        public final int column;

        SyntaxError(String message, String path, int line, int column) {
            super(message, null, false, false);
            this.path = path;
            this.line = line;
            this.column = column;
        }
    }

    private StatementJson() {
    }

    /** Parses strictly; an empty input is a SyntaxError too. */
    public static JsonNode read(byte[] json) throws SyntaxError {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new SyntaxError("no JSON value", null, -1, -1);
            }
            return node;
        } catch (JsonProcessingException e) {
            String path = e.getProcessor() instanceof JsonParser parser ? path(parser.getParsingContext()) : null;
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Trailing token")) {
                message = "unexpected content after the end of the JSON value";
            }
            JsonLocation at = e.getLocation();
            throw new SyntaxError(message, path, at == null ? -1 : at.getLineNr(), at == null ? -1 : at.getColumnNr());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record value: the statement with the schema's field names and order, instants in UTC. */
    public static byte[] write(Statement statement) {
        try {
            return JSON.writeValueAsBytes(statement);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise statement " + statement.eventId(), e);
        }
    }

    /** Where the parser was, as "conditions[1]" or "[3].source"; null at the top level. */
    private static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            } else if (c.inArray() && c.getCurrentIndex() >= 0) {
                parts.push("[" + c.getCurrentIndex() + "]");
            }
        }
        String path = String.join("", parts);
        return path.isEmpty() ? null : path.startsWith(".") ? path.substring(1) : path;
    }
}
