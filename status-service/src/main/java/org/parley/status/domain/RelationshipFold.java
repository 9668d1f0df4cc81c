package org.parley.status.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Decider-style fold of a relationship's statements: initial state + evolve, and the whole-history
 * folds built from them. Pure: no I/O, no framework.
 */
public final class RelationshipFold {
    private RelationshipFold() {
    }

    /** No statement yet: NO_INVITATION, nothing stated. */
    public static Relationship initial(String relationshipId) {
        throw new UnsupportedOperationException("TODO");
    }

    /** One statement in effect applied to the state (no dedupe, no retraction logic here). */
    public static Relationship evolve(Relationship state, Statement statement) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Whole history: dedupe by eventId, drop retractions and what they retract, sort FOLD_ORDER, evolve. */
    public static Relationship fold(String relationshipId, Collection<Statement> statements) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The projection as it stood at asOf: statements with occurredAt <= asOf (corrections always count). */
    public static Relationship foldAsOf(String relationshipId, Collection<Statement> statements, Instant asOf) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Brings a stored projection up to date with newly stored statements (already deduplicated against
     * storage). Evolves incrementally when that is exact (all new statements sort after lastEvent, none is a
     * retraction or retracted); otherwise refolds from allStored (which includes the new statements).
     */
    public static Relationship apply(Relationship current, List<Statement> newStatements,
            Supplier<Collection<Statement>> allStored) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Every stored statement in fold order, each marked with its effect. */
    public static List<TimelineEntry> timeline(Collection<Statement> statements) {
        throw new UnsupportedOperationException("TODO");
    }
}
