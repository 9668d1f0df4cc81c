package org.parley.status.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.parley.contract.RelationshipId;
import org.parley.contract.Statement;
import org.parley.contract.StatementType;

/**
 * The Decider-style fold of a relationship's statements: initial state + evolve, and the whole-history
 * folds built from them. Pure: no I/O, no framework.
 *
 * <p>Corrections: a STATEMENT_RETRACTED removes the statement it names whatever its own occurredAt. A
 * retraction of a retraction has no effect (a correction is not undone by another one); a retraction naming
 * an unknown id has no effect until that id arrives. Retractions are never counted nor the last event.
 */
public final class RelationshipFold {
    /**
     * Which copy of a duplicated eventId is kept: the first in fold order; the full-content tie-break only
     * matters for conflicting copies with the same key, and keeps even those independent of arrival order.
     */
    private static final Comparator<Statement> PREFERRED_COPY = Statement.FOLD_ORDER
            .thenComparing(Statement::toString);

    private RelationshipFold() {
    }

    /** No statement yet: NO_INVITATION, nothing stated. */
    public static Relationship initial(String relationshipId) {
        List<String> parties = RelationshipId.parties(relationshipId);
        Map<String, List<Position>> none = new TreeMap<>();
        parties.forEach(party -> none.put(party, List.of()));
        return new Relationship(relationshipId, parties, Status.NO_INVITATION, null, null, none, none, null, null,
                0, List.of());
    }

    /**
     * One statement in effect applied to the state (no dedupe, no retraction logic here). A retraction given
     * here is only noted in retractedIds: undoing a statement needs a refold, which {@link #fold} does.
     */
    public static Relationship evolve(Relationship state, Statement statement) {
        if (statement.type() == StatementType.STATEMENT_RETRACTED) {
            return statement.retracts() == null ? state : withRetracted(state, List.of(statement.retracts()));
        }
        return Evolution.of(state, statement);
    }

    /** Whole history: dedupe by eventId, drop retractions and what they retract, sort FOLD_ORDER, evolve. */
    public static Relationship fold(String relationshipId, Collection<Statement> statements) {
        return foldInEffect(relationshipId, distinctByEventId(statements), null);
    }

    /** The projection as it stood at asOf: statements with occurredAt <= asOf (corrections always count; null: all). */
    public static Relationship foldAsOf(String relationshipId, Collection<Statement> statements, Instant asOf) {
        return foldInEffect(relationshipId, distinctByEventId(statements), asOf);
    }

    /**
     * Brings a stored projection up to date with newly stored statements (already deduplicated against
     * storage). Evolves incrementally when that is exact (all new statements sort after lastEvent, none is a
     * retraction or retracted); otherwise refolds from allStored (which includes the new statements).
     * current is the stored projection, or initial(id) when none is stored yet.
     */
    public static Relationship apply(Relationship current, List<Statement> newStatements,
            Supplier<Collection<Statement>> allStored) {
        Objects.requireNonNull(current, "current: use initial(id) when nothing is stored yet");
        List<Statement> added = distinctByEventId(newStatements);
        if (!appendsExactly(current, added)) {
            return fold(current.id(), allStored.get());
        }
        Relationship state = current;
        for (Statement statement : added) {
            state = evolve(state, statement);
        }
        return state;
    }

    /**
     * How many of the newly stored statements change the state, taken in arrival (offset) order: the
     * projection's version moves by this much, so that it counts the state-changing statements of the
     * relationship whatever batches they arrived in (a replay with other batch boundaries gives the same
     * versions). A new statement is a no-op when it is a non-retraction whose eventId is already retracted,
     * or a retraction of an id already retracted; any other new statement moves eventCount or retractedIds.
     * newInArrivalOrder: statements not stored before; a repeated eventId counts once (its first copy).
     */
    public static int changes(Relationship current, List<Statement> newInArrivalOrder) {
        Set<UUID> retracted = new HashSet<>(current.retractedIds());
        Set<UUID> seen = new HashSet<>();
        int changes = 0;
        for (Statement statement : newInArrivalOrder) {
            if (!seen.add(statement.eventId())) {
                continue;
            }
            if (statement.type() == StatementType.STATEMENT_RETRACTED) {
                if (statement.retracts() != null && retracted.add(statement.retracts())) {
                    changes++;
                }
            } else if (!retracted.contains(statement.eventId())) {
                changes++;
            }
        }
        return changes;
    }

    /**
     * Whether {@link #apply} needs every stored statement of the relationship (a refold) for these new ones,
     * so that a caller can load them for many relationships at once.
     */
    public static boolean needsRefold(Relationship current, List<Statement> newStatements) {
        return !appendsExactly(current, distinctByEventId(newStatements));
    }

    /** Every stored statement (one per eventId) in fold order, each marked with its effect. */
    public static List<TimelineEntry> timeline(Collection<Statement> statements) {
        List<Statement> distinct = distinctByEventId(statements);
        Set<UUID> retracted = retractedIds(distinct);
        List<TimelineEntry> entries = new ArrayList<>(distinct.size());
        for (Statement statement : distinct) {
            entries.add(new TimelineEntry(statement, effectOf(statement, retracted)));
        }
        return List.copyOf(entries);
    }

    private static TimelineEntry.Effect effectOf(Statement statement, Set<UUID> retracted) {
        if (statement.type() == StatementType.STATEMENT_RETRACTED) {
            return TimelineEntry.Effect.RETRACTION;
        }
        return retracted.contains(statement.eventId()) ? TimelineEntry.Effect.RETRACTED : TimelineEntry.Effect.APPLIED;
    }

    /**
     * One timeline entry, taken in fold order: only an APPLIED statement changes the state. Folding a stored
     * history entry by entry from {@link #initial} needs no more memory than the state (the asOf read), and
     * gives {@link #foldAsOf}'s result but for retractedIds.
     */
    public static Relationship evolve(Relationship state, TimelineEntry entry) {
        return evolve(state, entry, FoldTrace.NONE);
    }

    /** The same step, telling trace what each rule produced (the provenance). */
    public static Relationship evolve(Relationship state, TimelineEntry entry, FoldTrace trace) {
        return entry.effect() == TimelineEntry.Effect.APPLIED ? Evolution.of(state, entry.statement(), trace) : state;
    }

    /** distinct: one copy per eventId, in fold order. asOf null means no cut-off. */
    private static Relationship foldInEffect(String relationshipId, List<Statement> distinct, Instant asOf) {
        Set<UUID> retracted = retractedIds(distinct);
        Relationship state = withRetracted(initial(relationshipId), retracted);
        for (Statement statement : distinct) {
            if (asOf == null || !statement.occurredAt().isAfter(asOf)) {
                state = evolve(state, new TimelineEntry(statement, effectOf(statement, retracted)));
            }
        }
        return state;
    }

    /** One copy per eventId (the preferred one), sorted in fold order. */
    static List<Statement> distinctByEventId(Collection<Statement> statements) {
        Map<UUID, Statement> byId = new HashMap<>();
        for (Statement statement : statements) {
            byId.merge(statement.eventId(), statement,
                    (kept, other) -> PREFERRED_COPY.compare(kept, other) <= 0 ? kept : other);
        }
        List<Statement> sorted = new ArrayList<>(byId.values());
        sorted.sort(PREFERRED_COPY);
        return sorted;
    }

    private static Set<UUID> retractedIds(Collection<Statement> statements) {
        Set<UUID> ids = new HashSet<>();
        for (Statement statement : statements) {
            if (statement.type() == StatementType.STATEMENT_RETRACTED && statement.retracts() != null) {
                ids.add(statement.retracts());
            }
        }
        return ids;
    }

    static boolean appendsExactly(Relationship current, List<Statement> added) {
        Set<UUID> retracted = new HashSet<>(current.retractedIds());
        for (Statement statement : added) {
            if (statement.type() == StatementType.STATEMENT_RETRACTED || retracted.contains(statement.eventId())
                    || !sortsAfter(statement, current.lastEvent())) {
                return false;
            }
        }
        return true;
    }

    private static boolean sortsAfter(Statement statement, LastEvent last) {
        if (last == null) {
            return true;
        }
        int byTime = statement.occurredAt().compareTo(last.occurredAt());
        if (byTime == 0) {
            byTime = statement.recordedAt().compareTo(last.recordedAt());
        }
        if (byTime == 0) {
            byTime = statement.eventId().compareTo(last.eventId());
        }
        return byTime > 0;
    }

    static Relationship withRetracted(Relationship state, Collection<UUID> ids) {
        List<UUID> all = new ArrayList<>(state.retractedIds());
        all.addAll(ids);
        return new Relationship(state.id(), state.parties(), state.status(), state.invitation(),
                state.awaitingResponseFrom(), state.conditions(), state.incentives(), state.meeting(),
                state.lastEvent(), state.eventCount(), all);
    }
}
