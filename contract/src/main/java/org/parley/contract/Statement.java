package org.parley.contract;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One statement as the contract describes it. Only {@link StatementRules} builds these from input, so a
 * Statement is always storable. Optional fields are null, list fields empty (never null); recordedAt is null
 * until ingest-service publishes it. Serialised by {@link StatementJson} with the schema's field order and
 * absent fields left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "eventId", "type", "source", "target", "occurredAt", "recordedAt", "speaker", "summary", "quote",
        "sourceUrl", "conditions", "incentives", "retracts", "meetingAt", "location", "cameoCode" })
public record Statement(
        UUID eventId,
        StatementType type,
        String source,
        String target,
        Instant occurredAt,
        Instant recordedAt,
        String speaker,
        String summary,
        String quote,
        String sourceUrl,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> conditions,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> incentives,
        UUID retracts,
        Instant meetingAt,
        String location,
        /** The newsroom's own CAMEO code, one {@link EventCoding} accepts for the type; null: the type's. */
        String cameoCode) {

    /** The order a relationship is folded in, whatever order the reports arrived in. */
    public static final Comparator<Statement> FOLD_ORDER = Comparator.comparing(Statement::occurredAt)
            .thenComparing(Statement::recordedAt)
            .thenComparing(Statement::eventId);

    public Statement {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(occurredAt, "occurredAt");
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        incentives = incentives == null ? List.of() : List.copyOf(incentives);
    }

    /** A statement without a newsroom's own CAMEO code. */
    public Statement(UUID eventId, StatementType type, String source, String target, Instant occurredAt,
            Instant recordedAt, String speaker, String summary, String quote, String sourceUrl, List<String> conditions,
            List<String> incentives, UUID retracts, Instant meetingAt, String location) {
        this(eventId, type, source, target, occurredAt, recordedAt, speaker, summary, quote, sourceUrl, conditions,
                incentives, retracts, meetingAt, location, null);
    }

    /** The record key: see {@link RelationshipId}. */
    @JsonIgnore
    public String relationshipId() {
        return RelationshipId.of(source, target);
    }

    public Statement withEventId(UUID id) {
        return new Statement(id, type, source, target, occurredAt, recordedAt, speaker, summary, quote, sourceUrl,
                conditions, incentives, retracts, meetingAt, location, cameoCode);
    }

    public Statement withRecordedAt(Instant at) {
        return new Statement(eventId, type, source, target, occurredAt, at, speaker, summary, quote, sourceUrl,
                conditions, incentives, retracts, meetingAt, location, cameoCode);
    }
}
