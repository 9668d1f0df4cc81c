package org.parley.status.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.parley.status.domain.Statement;
import org.parley.status.domain.StatementType;

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
            // Duplicate names fail as the tree is built (cheaper than the streaming parser's own detection).
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private static final Set<String> PROPERTIES = Set.of("eventId", "type", "source", "target", "occurredAt",
            "recordedAt", "speaker", "summary", "quote", "sourceUrl", "conditions", "incentives", "retracts",
            "meetingAt", "location");
    private static final List<String> REQUIRED = List.of("eventId", "type", "source", "target", "occurredAt",
            "recordedAt");
    private static final Set<String> ISO_ALPHA3 = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3);
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{3}");
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    private static final Pattern URL_SCHEME = Pattern.compile("[Hh][Tt][Tt][Pp][Ss]?://.+");

    private StatementParser() {
    }

    /** A record as consumed: key and value bytes. */
    public static Result parse(byte[] key, byte[] value) {
        return parse(key, value, false);
    }

    /**
     * As {@link #parse(byte[], byte[])}, but the payload is the value's own text, not re-serialised: the
     * consumers store it as jsonb, which normalises it, so the result is the same for less work. (Jackson has
     * checked it is strict JSON in valid UTF-8, and the contract every string in it; a value that does not
     * start with '{', e.g. after a byte order mark, is re-serialised still.)
     */
    public static Result parseForStorage(byte[] key, byte[] value) {
        return parse(key, value, true);
    }

    private static Result parse(byte[] key, byte[] value, boolean keepText) {
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
        Result result = parse(node,
                keepText && value.length > 0 && value[0] == '{' ? new String(value, StandardCharsets.UTF_8) : null);
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
        return parse(node, null);
    }

    /** text: the value's own text, kept as the payload (null: the node re-serialised). */
    private static Result parse(JsonNode node, String text) {
        try {
            Statement statement = statement(node);
            return new Parsed(statement, text != null ? text : node.toString());
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
        if (!isUuidText(text)) {
            throw new ContractException("'" + name + "' is not a UUID: '" + text + "'");
        }
        return UUID.fromString(text);
    }

    private static Instant instant(ObjectNode object, String name) {
        String text = string(object, name);
        Instant instant = rfc3339(text);
        if (instant == null) {
            throw new ContractException("'" + name + "' is not an RFC 3339 date-time: '" + text + "'");
        }
        // PostgreSQL refuses year 0 and Instant.toString() writes year 10000 as +10000: either would fail
        // every retry of the batch, so such a record is a contract break rather than a wedged partition.
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new ContractException("'" + name + "' is outside the years 0001 to 9999 (UTC): '" + text + "'");
        }
        return instant;
    }

    /** The UUID_TEXT pattern, without a regex: 8-4-4-4-12 hex digits. */
    static boolean isUuidText(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * An RFC 3339 date-time (the DATE_TIME pattern, then ISO_OFFSET_DATE_TIME's strict resolution), parsed
     * by hand: the consumers parse two per record, and java.time's formatter dominated their profile. null
     * if it is not one. StatementParserTest checks it against the formatter.
     */
    static Instant rfc3339(String text) {
        int n = text.length();
        if (n < 20 || !digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 7) || text.charAt(7) != '-'
                || !digits(text, 8, 10) || (text.charAt(10) != 'T' && text.charAt(10) != 't') || !digits(text, 11, 13)
                || text.charAt(13) != ':' || !digits(text, 14, 16) || text.charAt(16) != ':' || !digits(text, 17, 19)) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (text.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 10 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            int count = i - start;
            if (count < 1 || count > 9) {
                return null;
            }
            nanos = number(text, start, i);
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        if (i >= n) {
            return null;
        }
        int offsetSeconds;
        char sign = text.charAt(i);
        if (sign == 'Z' || sign == 'z') {
            if (i + 1 != n) {
                return null;
            }
            offsetSeconds = 0;
        } else if (sign == '+' || sign == '-') {
            if (i + 6 != n || !digits(text, i + 1, i + 3) || text.charAt(i + 3) != ':' || !digits(text, i + 4, i + 6)) {
                return null;
            }
            int hours = number(text, i + 1, i + 3);
            int minutes = number(text, i + 4, i + 6);
            if (hours > 18 || minutes > 59) {
                return null;
            }
            offsetSeconds = (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
            if (Math.abs(offsetSeconds) > 18 * 3600) {
                return null;
            }
        } else {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.of(number(text, 0, 4), number(text, 5, 7), number(text, 8, 10),
                    number(text, 11, 13), number(text, 14, 16), number(text, 17, 19), nanos);
            return Instant.ofEpochSecond(local.toEpochSecond(ZoneOffset.ofTotalSeconds(offsetSeconds)), nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
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
