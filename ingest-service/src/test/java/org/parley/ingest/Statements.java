package org.parley.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.parley.contract.StatementRules;
import org.parley.contract.StatementType;
import org.parley.support.security.DevTokens;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Valid statements as a newsroom would post them, to start tests from. */
public final class Statements {
    /** A wire service's development token: may post and retract about every party. */
    public static final String TOKEN = DevTokens.mint("test-wire", List.of("post", "retract"), List.of("*"));
    public static final ObjectMapper JSON = new ObjectMapper();

    private Statements() {
    }

    /** The contract's rules as ingest applies them to a posted body (given as Jackson reads JSON), received at {@code now}. */
    public record Validator(Instant now) {
        public StatementRules.Result validate(Object body) {
            return StatementRules.request(JSON.valueToTree(body), now);
        }

        public StatementRules.BatchResult validateBatch(Object body) {
            return StatementRules.requestBatch(JSON.valueToTree(body), now);
        }
    }

    /** A valid event of this type from USA to PRK, with a fresh eventId and the fields its type requires. */
    public static Map<String, Object> valid(StatementType type) {
        return valid(type, "USA", "PRK");
    }

    public static Map<String, Object> valid(StatementType type, String source, String target) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("type", type.name());
        event.put("source", source);
        event.put("target", target);
        event.put("occurredAt", "2025-10-24T03:00:00Z");
        event.put("summary", "test statement " + UUID.randomUUID());
        switch (type) {
            case CONDITIONS_REITERATED -> event.put("conditions", List.of("Recognition as a nuclear power"));
            case INCENTIVE_OFFERED -> event.put("incentives", List.of("Sanctions relief"));
            case STATEMENT_RETRACTED -> event.put("retracts", UUID.randomUUID().toString());
            case MEETING_SCHEDULED, MEETING_HELD -> {
                event.put("meetingAt", "2025-12-01T02:00:00Z");
                event.put("location", "Panmunjom");
            }
            default -> {
            }
        }
        return event;
    }

    public static Map<String, Object> with(Map<String, Object> event, String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(event);
        copy.put(field, value);
        return copy;
    }

    public static Map<String, Object> without(Map<String, Object> event, String field) {
        Map<String, Object> copy = new LinkedHashMap<>(event);
        copy.remove(field);
        return copy;
    }

    public static List<Map<String, Object>> many(int n) {
        List<Map<String, Object>> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(valid(StatementType.NO_RESPONSE));
        }
        return events;
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
