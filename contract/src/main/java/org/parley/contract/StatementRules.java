package org.parley.contract;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * THE validator and decoder of statements: ingest-service runs it on every posted body, status-service on
 * every record it consumes, so what one accepts the other folds (what it stored it reads back with
 * {@link #stored}, unchecked). It reports every broken rule at once, each on its field. The rules are listed in
 * docs/api.md, "The event contract".
 */
public final class StatementRules {
    public static final int MAX_BATCH = 1000;
    public static final int MAX_SPEAKER = 200;
    public static final int MAX_TEXT = 2000;
    public static final int MAX_URL = 2048;
    public static final int MAX_POSITIONS = 20;
    public static final int MAX_POSITION = 500;
    public static final int MAX_LOCATION = 200;
    /** occurredAt at most this far after receipt (HTTP) or after recordedAt (topic). */
    public static final Duration MAX_FUTURE = Duration.ofHours(24);

    static final Set<String> FIELDS = Set.of("eventId", "type", "source", "target", "occurredAt", "recordedAt",
            "speaker", "summary", "quote", "sourceUrl", "conditions", "incentives", "retracts", "meetingAt", "location",
            "cameoCode");
    static final String TYPES = Arrays.stream(StatementType.values()).map(Enum::name).collect(Collectors.joining(", "));

    public record Result(Statement statement, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    public record BatchResult(List<Statement> statements, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** A record from the topic: decoded, with its parsed value, or rejected with the reason for the DLQ. */
    public sealed interface Decoded permits Accepted, Rejected {
    }

    public record Accepted(Statement statement, JsonNode value) implements Decoded {
    }

    public record Rejected(String reason) implements Decoded {
    }

    private StatementRules() {
    }

    /**
     * A posted statement, received at {@code now}: recordedAt must not be sent, and an absent eventId is derived
     * from the content ({@link EventIds}), so the result always has one.
     */
    public static Result request(JsonNode body, Instant now) {
        return new StatementCheck("", false, now).run(body);
    }

    /** A batch: all items valid, or no statements and the errors of every item, fields prefixed with [index]. */
    public static BatchResult requestBatch(JsonNode body, Instant now) {
        if (body == null || !body.isArray()) {
            return new BatchResult(List.of(), List.of(new FieldError(null, "expected a JSON array of events")));
        }
        if (body.isEmpty() || body.size() > MAX_BATCH) {
            return new BatchResult(List.of(), List.of(new FieldError(null,
                    "a batch holds 1 to " + MAX_BATCH + " events, this one has " + body.size())));
        }
        List<Statement> statements = new ArrayList<>(body.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            Result result = new StatementCheck("[" + i + "]", false, now).run(body.get(i));
            errors.addAll(result.errors());
            statements.add(result.statement());
        }
        return errors.isEmpty() ? new BatchResult(List.copyOf(statements), List.of()) : new BatchResult(List.of(), List.copyOf(errors));
    }

    /** A record value as published (eventId and recordedAt required), without looking at a key. */
    public static Result record(JsonNode value) {
        return new StatementCheck("", true, null).run(value);
    }

    /** A record as consumed: the value must be a statement and the key its relationshipId. */
    public static Decoded record(byte[] key, byte[] value) {
        if (value == null) {
            return new Rejected("no value (tombstone)");
        }
        JsonNode node;
        try {
            node = StatementJson.read(value);
        } catch (StatementJson.SyntaxError e) {
            return new Rejected("invalid JSON: " + e.getMessage());
        }
        Result result = record(node);
        if (!result.valid()) {
            return new Rejected(reason(result.errors()));
        }
        String expected = result.statement().relationshipId();
        String actual = key == null ? null : new String(key, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            return new Rejected("contract: record key " + (actual == null ? "is missing" : "'" + actual + "'")
                    + ", expected the relationshipId '" + expected + "'");
        }
        return new Accepted(result.statement(), node);
    }

    /**
     * A payload accepted before, read back from storage: checked when it was consumed, so only read here (the
     * rules cost as much as the parse, and a refold reads back a whole history). Values are read as the check
     * reads them (instants by {@link Instants#parse}), so a stored statement equals the one first accepted.
     */
    public static Statement stored(String payload) {
        JsonNode json;
        try {
            json = StatementJson.read(payload.getBytes(StandardCharsets.UTF_8));
        } catch (StatementJson.SyntaxError e) {
            throw new IllegalStateException("stored payload is not JSON: " + e.getMessage());
        }
        try {
            return new Statement(uuid(json.get("eventId")), StatementType.valueOf(json.get("type").textValue()),
                    json.get("source").textValue(), json.get("target").textValue(), instant(json.get("occurredAt")),
                    instant(json.get("recordedAt")), text(json.get("speaker")), text(json.get("summary")),
                    text(json.get("quote")), text(json.get("sourceUrl")), texts(json.get("conditions")),
                    texts(json.get("incentives")), uuid(json.get("retracts")), instant(json.get("meetingAt")),
                    text(json.get("location")), text(json.get("cameoCode")));
        } catch (RuntimeException e) {
            throw new IllegalStateException("stored payload breaks the contract: " + e, e);
        }
    }

    /** One instant of a stored payload's, read as {@link #stored} reads it (a refold reads its fields one by one). */
    public static Instant storedInstant(String text) {
        return Instants.parse(text);
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.textValue();
    }

    private static UUID uuid(JsonNode value) {
        return value == null || value.isNull() ? null : UUID.fromString(value.textValue());
    }

    private static Instant instant(JsonNode value) {
        return value == null || value.isNull() ? null : Instants.parse(value.textValue());
    }

    private static List<String> texts(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        List<String> texts = new ArrayList<>(value.size());
        value.forEach(item -> texts.add(item.textValue()));
        return texts;
    }

    /** The dead-letter reason for broken rules. */
    public static String reason(List<FieldError> errors) {
        return "contract: " + errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    }

    /** 8-4-4-4-12 hex digits (UUID.fromString alone accepts shorter groups). */
    static boolean isUuid(String text) {
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
}
