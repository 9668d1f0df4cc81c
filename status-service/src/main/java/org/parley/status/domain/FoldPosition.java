package org.parley.status.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/** Where a statement stands in {@link Statement#FOLD_ORDER}: what a timeline page continues after. */
public record FoldPosition(Instant occurredAt, Instant recordedAt, UUID eventId) implements Comparable<FoldPosition> {
    private static final Comparator<FoldPosition> ORDER = Comparator.comparing(FoldPosition::occurredAt)
            .thenComparing(FoldPosition::recordedAt)
            .thenComparing(FoldPosition::eventId);

    public static FoldPosition of(Statement statement) {
        return new FoldPosition(statement.occurredAt(), statement.recordedAt(), statement.eventId());
    }

    @Override
    public int compareTo(FoldPosition other) {
        return ORDER.compare(this, other);
    }
}
