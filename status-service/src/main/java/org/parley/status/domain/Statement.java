package org.parley.status.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * One statement as published on the topic (see ingest-service's contract schema). Optional fields are
 * null; list fields are empty, never null.
 */
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
        List<String> conditions,
        List<String> incentives,
        UUID retracts,
        Instant meetingAt,
        String location) {

    /** The order a relationship is folded in, whatever order the reports arrived in. */
    public static final Comparator<Statement> FOLD_ORDER = Comparator.comparing(Statement::occurredAt)
            .thenComparing(Statement::recordedAt)
            .thenComparing(Statement::eventId);

    public Statement {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        incentives = incentives == null ? List.of() : List.copyOf(incentives);
    }

    public String relationshipId() {
        return RelationshipId.of(source, target);
    }
}
