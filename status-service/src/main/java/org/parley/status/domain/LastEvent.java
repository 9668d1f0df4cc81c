package org.parley.status.domain;

import java.time.Instant;
import java.util.UUID;
import org.parley.contract.StatementType;

/** The last statement in effect, in fold order. */
public record LastEvent(UUID eventId, StatementType type, String source, String target, Instant occurredAt,
        Instant recordedAt, String summary) {
}
