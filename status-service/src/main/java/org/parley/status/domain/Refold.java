package org.parley.status.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.parley.contract.Statement;
import org.parley.contract.StatementType;

/**
 * A refold bounded by snapshots. A late statement or a correction changes a relationship's fold only from the
 * position of the first statement whose effect it changes: the refold resumes from the last snapshot strictly
 * before that position, reads only the statements after the snapshot, and lays again the snapshots at or after
 * the position. Snapshots stand where the count of statements in effect (eventCount) reaches a multiple of the
 * interval, laid by the incremental path ({@link #append}) as by a refold, so where they stand depends on the
 * history only, not on the batches it arrived in. Pure: the storage is behind {@link Store}.
 */
public final class Refold {

    /** What a refold reads and writes of one relationship's storage; E is what the storage may throw. */
    public interface Store<E extends Exception> {
        /** The relationship's stored statements (the new ones included) among ids; unknown ids are absent. */
        Map<UUID, Statement> statements(Collection<UUID> ids) throws E;

        /** The snapshot nearest before position (strictly before it), if any. */
        Optional<FoldSnapshot> lastSnapshotBefore(FoldKey position) throws E;

        /** Drops every snapshot at or after position. */
        void dropSnapshotsFrom(FoldKey position) throws E;

        /** Stores snapshots, replacing any at the same position. */
        void saveSnapshots(List<FoldSnapshot> snapshots) throws E;

        /**
         * Hands every stored statement after `after` (null: from the first; the new ones included) to sink, in
         * fold order, each with its effect over the whole stored history. retracted: every id the stored
         * corrections name (what decides the effects, known to the refold). Stops at the sink's first failure.
         */
        void inFoldOrder(FoldKey after, Set<UUID> retracted, Sink<E> sink) throws E;
    }

    /** Takes a refold's statements in fold order; may write to the store on the way (snapshots). */
    @FunctionalInterface
    public interface Sink<E extends Exception> {
        void accept(TimelineEntry entry) throws E;
    }

    /**
     * The most snapshots a refold holds before handing them to the store: a refold from the first of 200,000
     * statements lays history ÷ interval of them, which must not all wait in memory for the end.
     */
    static final int SNAPSHOTS_HELD = 100;

    private Refold() {
    }

    /** A snapshot is due after a statement in effect that brings eventCount to a multiple of interval. */
    static boolean due(Relationship state, int interval) {
        return state.eventCount() % interval == 0;
    }

    /**
     * The incremental path: the added statements all sort after the state's last event and none is a
     * retraction or retracted ({@link RelationshipFold#needsRefold} is false). Hands the snapshots due on the
     * way to snapshots.
     */
    public static Relationship append(Relationship current, List<Statement> added, int interval,
            Consumer<FoldSnapshot> snapshots) {
        List<Statement> distinct = RelationshipFold.distinctByEventId(added);
        if (!RelationshipFold.appendsExactly(current, distinct)) {
            throw new IllegalArgumentException(current.id() + ": these statements need a refold");
        }
        Relationship state = current;
        for (Statement statement : distinct) {
            state = RelationshipFold.evolve(state, statement);
            if (due(state, interval)) {
                snapshots.accept(new FoldSnapshot(FoldKey.of(statement), state));
            }
        }
        return state;
    }

    /**
     * The fold of every stored statement, given the stored projection (current, exact for the statements
     * stored before) and the statements newly stored (fresh, in the store already).
     */
    public static <E extends Exception> Relationship refold(Relationship current, List<Statement> fresh, int interval,
            Store<E> store) throws E {
        Set<UUID> newlyRetracted = newlyRetracted(current, fresh);
        Map<UUID, Statement> named = newlyRetracted.isEmpty() ? Map.of() : store.statements(newlyRetracted);
        Optional<FoldKey> from = changedFrom(current, fresh, named);
        if (from.isEmpty()) {
            // No statement's effect changes (e.g. a correction of an unknown id): only the retracted ids do.
            return RelationshipFold.withRetracted(current, newlyRetracted);
        }
        // eventCount never decreases along the fold, so with fewer statements in effect than the interval no
        // snapshot stands before the change (unless the interval was smaller once: then starting from the first
        // statement is merely slower). Those at or after it are dropped whatever the interval was.
        Optional<FoldSnapshot> snapshot = current.eventCount() >= interval ? store.lastSnapshotBefore(from.get())
                : Optional.empty();
        store.dropSnapshotsFrom(from.get());
        Relationship start = snapshot.map(FoldSnapshot::state).orElseGet(() -> RelationshipFold.initial(current.id()));
        Set<UUID> retracted = new HashSet<>(current.retractedIds());
        retracted.addAll(newlyRetracted);
        // Evolved without retractedIds (no statement's evolution reads them; the state would sort them again
        // at every step), which are set once at the end.
        Run<E> run = new Run<>(start, interval, store);
        store.inFoldOrder(snapshot.map(FoldSnapshot::position).orElse(null), retracted, run);
        run.flush();
        return RelationshipFold.withRetracted(run.state, retracted);
    }

    /**
     * The fold of a whole stored history from its first statement, laying every snapshot due on the way, as
     * {@link #refold} lays them (a replay's bulk load folds each relationship once, after loading it).
     * retracted: every id the history's corrections name.
     */
    public static <E extends Exception> Relationship fromFirst(String relationshipId, Set<UUID> retracted, int interval,
            Store<E> store) throws E {
        Run<E> run = new Run<>(RelationshipFold.initial(relationshipId), interval, store);
        store.inFoldOrder(null, retracted, run);
        run.flush();
        return RelationshipFold.withRetracted(run.state, retracted);
    }

    /**
     * The first position at which an effect changes: a new statement in effect (late or not) takes effect at
     * its own position; a new correction removes its stored target's effect at the target's position (a
     * correction of a correction, of an id retracted before or of an unknown id changes no effect). Empty when
     * no effect changes. named: the stored statements among those newly retracted.
     */
    static Optional<FoldKey> changedFrom(Relationship current, List<Statement> fresh, Map<UUID, Statement> named) {
        Set<UUID> retracted = new HashSet<>(current.retractedIds());
        retracted.addAll(newlyRetracted(current, fresh));
        FoldKey first = null;
        for (Statement statement : fresh) {
            FoldKey changed = null;
            if (statement.type() == StatementType.STATEMENT_RETRACTED) {
                Statement target = statement.retracts() == null || current.retractedIds().contains(statement.retracts())
                        ? null : named.get(statement.retracts());
                if (target != null && target.type() != StatementType.STATEMENT_RETRACTED) {
                    changed = FoldKey.of(target);
                }
            } else if (!retracted.contains(statement.eventId())) {
                changed = FoldKey.of(statement);
            }
            if (changed != null && (first == null || changed.compareTo(first) < 0)) {
                first = changed;
            }
        }
        return Optional.ofNullable(first);
    }

    /** The ids the new corrections name that no stored correction named before. */
    private static Set<UUID> newlyRetracted(Relationship current, List<Statement> fresh) {
        Set<UUID> ids = new HashSet<>();
        for (Statement statement : fresh) {
            if (statement.type() == StatementType.STATEMENT_RETRACTED && statement.retracts() != null
                    && !current.retractedIds().contains(statement.retracts())) {
                ids.add(statement.retracts());
            }
        }
        return ids;
    }

    /**
     * Evolves over the streamed statements, laying again the snapshots due from the resumed position on, handed
     * to the store SNAPSHOTS_HELD at a time.
     */
    private static final class Run<E extends Exception> implements Sink<E> {
        private final int interval;
        private final Store<E> store;
        private final List<FoldSnapshot> snapshots = new ArrayList<>();
        private Relationship state;

        Run(Relationship start, int interval, Store<E> store) {
            this.state = start;
            this.interval = interval;
            this.store = store;
        }

        @Override
        public void accept(TimelineEntry entry) throws E {
            state = RelationshipFold.evolve(state, entry);
            if (entry.effect() == TimelineEntry.Effect.APPLIED && due(state, interval)) {
                snapshots.add(new FoldSnapshot(FoldKey.of(entry.statement()), state));
                if (snapshots.size() == SNAPSHOTS_HELD) {
                    flush();
                }
            }
        }

        void flush() throws E {
            if (!snapshots.isEmpty()) {
                store.saveSnapshots(List.copyOf(snapshots));
                snapshots.clear();
            }
        }
    }
}
