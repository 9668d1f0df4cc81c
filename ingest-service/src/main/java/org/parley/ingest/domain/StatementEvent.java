package org.parley.ingest.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A validated statement, as accepted over HTTP (so without recordedAt, which the service sets when it
 * publishes). Optional fields are null when absent. Only {@link StatementValidator} builds these from input.
 */
public record StatementEvent(
        UUID eventId,
        EventType type,
        String source,
        String target,
        Instant occurredAt,
        String speaker,
        String summary,
        String quote,
        String sourceUrl,
        List<String> conditions,
        List<String> incentives,
        UUID retracts,
        Instant meetingAt,
        String location) {

    public StatementEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(occurredAt, "occurredAt");
        conditions = conditions == null ? null : List.copyOf(conditions);
        incentives = incentives == null ? null : List.copyOf(incentives);
    }

    /** The Kafka key: the two codes sorted and joined with '-', so both directions share one ordered partition. */
    public String relationshipId() {
        return relationshipId(source, target);
    }

    public static String relationshipId(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "-" + b : b + "-" + a;
    }

    /**
     * The record value as the contract describes it: schema field names and order, instants as ISO-8601
     * UTC strings, absent optional fields left out.
     */
    public Map<String, Object> toRecordValue(Instant recordedAt) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("eventId", eventId.toString());
        json.put("type", type.name());
        json.put("source", source);
        json.put("target", target);
        json.put("occurredAt", occurredAt.toString());
        json.put("recordedAt", recordedAt.toString());
        putIfPresent(json, "speaker", speaker);
        putIfPresent(json, "summary", summary);
        putIfPresent(json, "quote", quote);
        putIfPresent(json, "sourceUrl", sourceUrl);
        putIfPresent(json, "conditions", conditions);
        putIfPresent(json, "incentives", incentives);
        putIfPresent(json, "retracts", retracts == null ? null : retracts.toString());
        putIfPresent(json, "meetingAt", meetingAt == null ? null : meetingAt.toString());
        putIfPresent(json, "location", location);
        return json;
    }

    private static void putIfPresent(Map<String, Object> json, String name, Object value) {
        if (value != null) {
            json.put(name, value);
        }
    }
}
