package org.parley.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one configured JSON codec of the contract: strict reading, the record value's writing. */
public final class StatementJson {
    /**
     * Parser limits, far above what a statement needs (its deepest value is an array in an object in a batch,
     * its longest string 2,000 characters) and far below what could hurt: a body cannot make the parser build
     * a deep stack, a huge string or a number that takes quadratic time to convert.
     */
    public static final int MAX_NESTING = 16;
    public static final int MAX_STRING = 64 * 1024;
    public static final int MAX_NUMBER = 64;

    /**
     * Duplicate names are refused (which of two "source" values would be meant?), and so is anything after the
     * value. A UTF-8 byte order mark before the value is skipped, as RFC 8259 allows a parser to.
     */
    public static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING)
                            .maxStringLength(MAX_STRING)
                            .maxNumberLength(MAX_NUMBER)
                            .build())
                            .build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /** One item of an array: the next item follows it, so it must not count as trailing content. */
    private static final ObjectReader ITEM = JSON.readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Not JSON: where the parser was (a field path such as "conditions[1]" or "[3].source", or null), and why. */
    public static final class SyntaxError extends Exception {
        public final String path;
        public final int line;
        public final int column;

        /** Whether a parser limit was passed (too deep, a string or number too long) rather than broken syntax. */
        public final boolean limit;

        SyntaxError(String message, String path, int line, int column) {
            this(message, path, line, column, false);
        }

        SyntaxError(String message, String path, int line, int column, boolean limit) {
            super(message, null, false, false);
            this.path = path;
            this.line = line;
            this.column = column;
            this.limit = limit;
        }
    }

    /** A JSON array with more items than allowed: reading stopped at the first item past the limit. */
    public static final class TooManyItems extends Exception {
        public final int limit;

        TooManyItems(int limit) {
            super("more than " + limit + " items", null, false, false);
            this.limit = limit;
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
            throw syntaxError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JSON array read item by item, so that its size is known before anything is built: the items, or
     * TooManyItems as soon as item maxItems + 1 starts; null when the value is not an array (nothing after its
     * first token is read). Items are checked strictly, as {@link #read} does.
     */
    public static ArrayNode readArray(byte[] json, int maxItems) throws SyntaxError, TooManyItems {
        try (JsonParser parser = JSON.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new SyntaxError("no JSON value", null, -1, -1);
            }
            if (first != JsonToken.START_ARRAY) {
                return null;
            }
            ArrayNode items = JSON.createArrayNode();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    throw new SyntaxError("unexpected end of input: the array is not closed", path(parser.getParsingContext()),
                            -1, -1);
                }
                if (items.size() == maxItems) {
                    throw new TooManyItems(maxItems);
                }
                items.add(ITEM.<JsonNode>readValue(parser));
            }
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentLocation();
                throw new SyntaxError("unexpected content after the end of the JSON value", null, at.getLineNr(),
                        at.getColumnNr());
            }
            return items;
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SyntaxError syntaxError(JsonProcessingException e) {
        String path = e.getProcessor() instanceof JsonParser parser ? path(parser.getParsingContext()) : null;
        String message = e.getOriginalMessage();
        boolean limit = e instanceof StreamConstraintsException;
        if (message != null && message.startsWith("Trailing token")) {
            message = "unexpected content after the end of the JSON value";
        } else if (limit && message != null) {
            // Jackson's text names its own getter ("from `StreamReadConstraints...`"): keep the first part only.
            int from = message.indexOf(", from `");
            message = (from > 0 ? message.substring(0, from) + ")" : message).replace("exceeds", "is over");
        }
        JsonLocation at = e.getLocation();
        return new SyntaxError(message, path, at == null ? -1 : at.getLineNr(), at == null ? -1 : at.getColumnNr(), limit);
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
