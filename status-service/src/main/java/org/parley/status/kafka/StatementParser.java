package org.parley.status.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.parley.status.domain.Statement;
import org.parley.status.domain.StatementType;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a record of the topic into a {@link Statement}, enforcing ingest-service's contract
 * (contract/statement-event.schema.json) plus what the schema cannot say: real and different ISO alpha-3
 * codes, and the record key being the relationshipId. Hand-written rather than a schema validator at run
 * time so that every rejection carries a precise reason; ContractExamplesTest checks it agrees with the
 * schema.
 */
public final class StatementParser {

    /** A record either parses or is rejected with the reason written to the DLQ header. */
    public sealed interface Result permits Parsed, Rejected {
    }

    /** payload: the record's JSON, re-serialised compactly after validation (what the database keeps). */
    public record Parsed(Statement statement, String payload) implements Result {
    }

    public record Rejected(String reason) implements Result {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final Set<String> PROPERTIES = Set.of("eventId", "type", "source", "target", "occurredAt",
            "recordedAt", "speaker", "summary", "quote", "sourceUrl", "conditions", "incentives", "retracts",
            "meetingAt", "location");
    private static final List<String> REQUIRED = List.of("eventId", "type", "source", "target", "occurredAt",
            "recordedAt");
    private static final Set<String> ISO_ALPHA3 = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3);
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{3}");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    // RFC 3339 date-time; java.time alone would also take a missing seconds field.
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    private static final Pattern URL_SCHEME = Pattern.compile("[Hh][Tt][Tt][Pp][Ss]?://.+");

    private StatementParser() {
    }

    /** A record as consumed: key and value bytes. */
    public static Result parse(byte[] key, byte[] value) {
        if (value == null) {
            return new Rejected("no value (tombstone)");
        }
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            return new Rejected("invalid JSON: " + e.getOriginalMessage());
        } catch (Exception e) {
            return new Rejected("invalid JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            return new Rejected("invalid JSON: empty value");
        }
        Result result = parse(node);
        if (result instanceof Parsed parsed) {
            String expected = parsed.statement().relationshipId();
            String actual = key == null ? null : new String(key, StandardCharsets.UTF_8);
            if (!expected.equals(actual)) {
                return new Rejected("contract: record key " + (actual == null ? "is missing" : "'" + actual + "'")
                        + ", expected the relationshipId '" + expected + "'");
            }
        }
        return result;
    }

    /** A payload this parser accepted before (read back from the database). */
    public static Statement fromPayload(String payload) {
        try {
            Result result = parse(JSON.readTree(payload));
            if (result instanceof Parsed parsed) {
                return parsed.statement();
            }
            throw new IllegalStateException("stored payload breaks the contract: " + ((Rejected) result).reason());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored payload is not JSON", e);
        }
    }

    static Result parse(JsonNode node) {
        try {
            return new Parsed(statement(node), node.toString());
        } catch (ContractException e) {
            return new Rejected("contract: " + e.getMessage());
        }
    }

    private static Statement statement(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            throw new ContractException("the value must be a JSON object");
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!PROPERTIES.contains(name)) {
                throw new ContractException("unknown property '" + name + "'");
            }
        }
        for (String name : REQUIRED) {
            if (!object.has(name)) {
                throw new ContractException("missing required property '" + name + "'");
            }
        }
        StatementType type = type(object);
        String source = country(object, "source");
        String target = country(object, "target");
        if (source.equals(target)) {
            throw new ContractException("source and target must differ");
        }
        boolean conditionsAllowed = type == StatementType.CONDITIONS_REITERATED;
        boolean incentivesAllowed = type == StatementType.INCENTIVE_OFFERED || type == StatementType.INVITATION_ISSUED;
        boolean meetingAllowed = type == StatementType.MEETING_SCHEDULED || type == StatementType.MEETING_HELD;
        boolean retraction = type == StatementType.STATEMENT_RETRACTED;
        requiredIf(object, "conditions", conditionsAllowed, conditionsAllowed, type);
        requiredIf(object, "incentives", type == StatementType.INCENTIVE_OFFERED, incentivesAllowed, type);
        requiredIf(object, "retracts", retraction, retraction, type);
        requiredIf(object, "meetingAt", false, meetingAllowed, type);
        requiredIf(object, "location", false, meetingAllowed, type);

        return new Statement(
                uuid(object, "eventId"),
                type,
                source,
                target,
                instant(object, "occurredAt"),
                instant(object, "recordedAt"),
                text(object, "speaker", 0, 200),
                text(object, "summary", 0, 2000),
                text(object, "quote", 0, 2000),
                url(object),
                positions(object, "conditions"),
                positions(object, "incentives"),
                object.has("retracts") ? uuid(object, "retracts") : null,
                object.has("meetingAt") ? instant(object, "meetingAt") : null,
                text(object, "location", 1, 200));
    }

    private static void requiredIf(ObjectNode object, String name, boolean required, boolean allowed,
            StatementType type) {
        if (required && !object.has(name)) {
            throw new ContractException("'" + name + "' is required for " + type);
        }
        if (!allowed && object.has(name)) {
            throw new ContractException("'" + name + "' is not allowed for " + type);
        }
    }

    private static StatementType type(ObjectNode object) {
        String text = string(object, "type");
        try {
            return StatementType.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new ContractException("'type' is not a known statement type: '" + text + "'");
        }
    }

    private static String country(ObjectNode object, String name) {
        String code = string(object, name);
        if (!COUNTRY.matcher(code).matches() || !ISO_ALPHA3.contains(code)) {
            throw new ContractException("'" + name + "' is not an ISO 3166-1 alpha-3 code: '" + code + "'");
        }
        return code;
    }

    private static UUID uuid(ObjectNode object, String name) {
        String text = string(object, name);
        if (!UUID_TEXT.matcher(text).matches()) {
            throw new ContractException("'" + name + "' is not a UUID: '" + text + "'");
        }
        return UUID.fromString(text);
    }

    private static Instant instant(ObjectNode object, String name) {
        String text = string(object, name);
        if (!DATE_TIME.matcher(text).matches()) {
            throw new ContractException("'" + name + "' is not an RFC 3339 date-time: '" + text + "'");
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new ContractException("'" + name + "' is not an RFC 3339 date-time: '" + text + "'");
        }
        // PostgreSQL refuses year 0 and Instant.toString() writes year 10000 as +10000: either would fail
        // every retry of the batch, so such a record is a contract break rather than a wedged partition.
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new ContractException("'" + name + "' is outside the years 0001 to 9999 (UTC): '" + text + "'");
        }
        return instant;
    }

    private static String text(ObjectNode object, String name, int minLength, int maxLength) {
        if (!object.has(name)) {
            return null;
        }
        String text = string(object, name);
        int length = text.codePointCount(0, text.length());
        if (length < minLength || length > maxLength) {
            throw new ContractException("'" + name + "' must be " + minLength + " to " + maxLength + " characters long");
        }
        return text;
    }

    private static String url(ObjectNode object) {
        String url = text(object, "sourceUrl", 0, 2048);
        if (url != null && (!URL_SCHEME.matcher(url).matches() || url.codePoints().anyMatch(StatementParser::isSpace))) {
            throw new ContractException("'sourceUrl' must be an http(s) URL without whitespace");
        }
        return url;
    }

    private static List<String> positions(ObjectNode object, String name) {
        if (!object.has(name)) {
            return List.of();
        }
        JsonNode array = object.get(name);
        if (!array.isArray()) {
            throw new ContractException("'" + name + "' must be an array");
        }
        if (array.size() < 1 || array.size() > 20) {
            throw new ContractException("'" + name + "' must hold 1 to 20 items");
        }
        List<String> items = new ArrayList<>(array.size());
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                throw new ContractException("'" + name + "' items must be strings");
            }
            String text = checked(name, item.textValue());
            int length = text.codePointCount(0, text.length());
            if (length < 1 || length > 500 || text.codePoints().allMatch(StatementParser::isSpace)) {
                throw new ContractException("'" + name + "' items must be 1 to 500 characters, not all blank");
            }
            items.add(text);
        }
        return items;
    }

    private static String string(ObjectNode object, String name) {
        JsonNode value = object.get(name);
        if (!value.isTextual()) {
            throw new ContractException("'" + name + "' must be a string");
        }
        return checked(name, value.textValue());
    }

    /** PostgreSQL cannot store NUL nor lone surrogates in jsonb: such a record would wedge the partition. */
    private static String checked(String name, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw new ContractException("'" + name + "' contains a NUL character");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new ContractException("'" + name + "' contains an unpaired surrogate");
            }
        }
        return text;
    }

    /** ECMA-262 \s, which the schema's patterns mean. */
    private static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
    }

    private static final class ContractException extends RuntimeException {
        ContractException(String message) {
            super(message, null, false, false);
        }
    }
}
