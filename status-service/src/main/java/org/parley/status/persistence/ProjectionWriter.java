package org.parley.status.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.parley.status.domain.FoldSnapshot;
import org.parley.status.domain.RelationshipUpdate;
import org.parley.status.domain.RelationshipUpdate.Plan;
import org.parley.status.domain.RelationshipUpdate.Versioned;
import org.parley.status.polling.OffsetStore;
import org.parley.status.polling.StaleOffsetsException;
import org.parley.contract.AuthContext;
import org.parley.contract.Statement;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Writes one poll batch in one transaction: fetch state → pure update ({@link RelationshipUpdate}) → save.
 * The batch begins with the <b>idempotent-consumer step</b> ({@link #fenceOffsets} then
 * {@link #dedupeByEventId}): the stored offsets are compared-and-set under a row lock, so a consumer that
 * lost its partitions without noticing cannot write, and a statement already stored is not applied again.
 * Either all of the batch is there or none, so a crash at any instant neither loses nor double-counts one.
 * A late statement or a correction refolds its relationship from the last fold snapshot before the first
 * statement whose effect changes ({@link org.parley.status.domain.Refold}), and snapshots are laid on the way,
 * in the same transaction. One writer per generation of the tables ({@link Generation}); built by whoever owns
 * that generation.
 */
public class ProjectionWriter implements OffsetStore {

    /** A statement taken from the topic, with where it was read and who posted it (null: the record names nobody). */
    public record Incoming(Statement statement, String payload, int partition, long offset, AuthContext postedBy) {
        public Incoming(Statement statement, String payload, int partition, long offset) {
            this(statement, payload, partition, offset, null);
        }
    }

    public record Outcome(int applied, int duplicates, int relationshipsChanged) {
    }

    /** Whether a failed batch ran out of time (statement_timeout): a smaller one may fit. */
    @Override
    public boolean ranOutOfTime(Exception e) {
        return CauseChain.sqlState(e, "57014"); // query_canceled: statement_timeout
    }

    /**
     * How refolds are bounded and measured: a snapshot of the fold state every snapshotInterval statements in
     * effect; statementsRead counts the stored statements refolds read back, duration times each refold.
     */
    public record Refolds(int snapshotInterval, Counter statementsRead, Timer duration) {
        /** generation: live or next (a replay's), the meters' tag. */
        public static Refolds of(int snapshotInterval, MeterRegistry registry, String generation) {
            return new Refolds(snapshotInterval,
                    Counter.builder("parley.refold.statements").tag("generation", generation)
                            .description("Stored statements read back by refolds (a late statement or a correction),"
                                    + " from the last fold snapshot before the first statement whose effect changed")
                            .register(registry),
                    Timer.builder("parley.refold").tag("generation", generation)
                            .description("Refolds of one relationship, from its last fold snapshot before the change")
                            .register(registry));
        }
    }

    /** More work for the batch's transaction, run after the batch is written (e.g. a replay's progress). */
    @FunctionalInterface
    public interface InTransaction {
        void run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final ProjectionRepository repository;
    /** Bounds a batch's statements (statement_timeout) and its transaction (a little longer). */
    private final Duration batchTimeout;
    /** Null unless this writer is the single writer of its tables (a replay's). */
    private final ProjectionCache<Versioned> cache;
    /** The live writer's: used only where the row's xmin says it is still what this writer wrote or read. */
    private final ProjectionCache<ProjectionRepository.Stamped> stamped;
    private final Refolds refolds;

    /**
     * cachedProjections > 0: keeps up to that many projections as last written, to skip reading them back
     * (and their JSON) in the next batches. Only for a writer that is the single writer of its tables and
     * is called from one thread at a time: a replay's.
     */
    public ProjectionWriter(DataSource dataSource, ProjectionRepository repository, int cachedProjections,
            Duration batchTimeout, Refolds refolds) {
        this.dataSource = dataSource;
        this.refolds = refolds;
        this.repository = repository;
        this.batchTimeout = batchTimeout;
        this.cache = cachedProjections <= 0 ? null : new ProjectionCache<>(cachedProjections);
        this.stamped = null;
    }

    /**
     * The live generation's writer. Other instances write the same tables, so a projection it remembers (up to
     * remembered) is used only when the locked row is still the version this writer wrote or read (its xmin).
     */
    public ProjectionWriter(DataSource dataSource, ProjectionRepository repository, Duration batchTimeout,
            Refolds refolds, int remembered) {
        this.dataSource = dataSource;
        this.refolds = refolds;
        this.repository = repository;
        this.batchTimeout = batchTimeout;
        this.cache = null;
        this.stamped = remembered <= 0 ? null : new ProjectionCache<>(remembered);
    }

    /** The stored next offset per partition of the topic; partitions never written are absent. */
    @Override
    public Map<Integer, Long> storedOffsets(String topic, Collection<Integer> partitions) {
        return Transactions.inNew(dataSource, c -> repository.offsets(c, topic, partitions, false));
    }

    /**
     * expected: the stored offsets this consumer last saw (absent = none stored) for every partition in
     * nextOffsets; alsoInTransaction: more work in the batch's transaction (null: nothing more).
     */
    public Outcome write(String topic, List<Incoming> incoming, Map<Integer, Long> expected,
            Map<Integer, Long> nextOffsets, InTransaction alsoInTransaction) {
        Map<String, Versioned> written = new HashMap<>();
        Map<String, Long> stamps = new HashMap<>();
        try {
            Outcome outcome = Transactions.inNew(dataSource, batchTimeout, StatementCopy.CREATE_STAGING, c -> {
                Outcome result = write(c, topic, incoming, expected, nextOffsets, written, stamps);
                if (alsoInTransaction != null) {
                    alsoInTransaction.run(c);
                }
                return result;
            });
            if (cache != null) {
                cache.putAll(written); // committed
            }
            if (stamped != null) {
                Map<String, ProjectionRepository.Stamped> committed = new HashMap<>();
                written.forEach((id, v) -> {
                    Long seq = stamps.get(id);
                    if (seq != null) {
                        committed.put(id, new ProjectionRepository.Stamped(v, seq));
                    }
                });
                stamped.putAll(committed);
            }
            return outcome;
        } catch (RuntimeException e) {
            if (cache != null) {
                cache.clear(); // committed or not: the database tells
            }
            if (stamped != null) {
                stamped.clear();
            }
            throw e;
        }
    }

    /** written: receives the projections as they stand after this batch; stamps: their rows' xmin (live). */
    private Outcome write(Connection c, String topic, List<Incoming> incoming, Map<Integer, Long> expected,
            Map<Integer, Long> nextOffsets, Map<String, Versioned> written, Map<String, Long> stamps) throws Exception {
        fenceOffsets(c, topic, expected, nextOffsets);
        Map<String, List<Statement>> fresh = dedupeByEventId(c, incoming);
        int stored = fresh.values().stream().mapToInt(List::size).sum();
        int changed = fresh.isEmpty() ? 0 : update(c, fresh, written, stamps);
        return new Outcome(stored, incoming.size() - stored, changed);
    }

    /**
     * Idempotent consumer, part 1: the stored offsets must be those this consumer last saw; they move to the
     * batch's next offsets in the same statement (compare-and-set, the rows locked until commit).
     */
    private void fenceOffsets(Connection c, String topic, Map<Integer, Long> expected, Map<Integer, Long> next)
            throws SQLException {
        Set<Integer> stale = repository.moveOffsets(c, topic, expected, next);
        if (!stale.isEmpty()) {
            Map<Integer, Long> stored = repository.offsets(c, topic, stale, false);
            Integer partition = stale.iterator().next();
            throw new StaleOffsetsException("partition " + partition + " of " + topic + " is stored at "
                    + stored.get(partition) + ", this consumer expected " + expected.get(partition));
        }
    }

    /**
     * Idempotent consumer, part 2: stores the statements whose eventId is new (the primary key decides) and
     * returns them per relationship in arrival order: the records' order, which is offset order within a
     * partition, and a relationship's statements share one partition (the key).
     */
    private Map<String, List<Statement>> dedupeByEventId(Connection c, List<Incoming> incoming) throws SQLException {
        Map<UUID, Incoming> distinct = new LinkedHashMap<>();
        incoming.forEach(in -> distinct.putIfAbsent(in.statement().eventId(), in));
        RetractionOwnership.refuseForeign(distinct, repository.postersOf(c, RetractionOwnership.targets(distinct.values())));
        Set<UUID> inserted = repository.insertNew(c, distinct.values());
        Map<String, List<Statement>> fresh = new LinkedHashMap<>();
        for (Incoming in : distinct.values()) {
            if (inserted.contains(in.statement().eventId())) {
                fresh.computeIfAbsent(in.statement().relationshipId(), id -> new ArrayList<>()).add(in.statement());
            }
        }
        return fresh;
    }

    /** Fetch state → pure update → save; returns how many projections changed. */
    private int update(Connection c, Map<String, List<Statement>> fresh, Map<String, Versioned> written,
            Map<String, Long> stamps) throws Exception {
        Map<String, Versioned> current;
        if (stamped != null) {
            current = repository.projectionsForUpdate(c, fresh.keySet(), stamped.getAll(fresh.keySet()), stamps);
        } else {
            current = cache == null ? new HashMap<>() : cache.getAll(fresh.keySet());
            List<String> missing = fresh.keySet().stream().filter(id -> !current.containsKey(id)).toList();
            current.putAll(repository.projectionsForUpdate(c, missing));
        }
        written.putAll(current);
        Plan plan = RelationshipUpdate.plan(current, fresh);
        List<Versioned> changes = new ArrayList<>(plan.moves().size());
        Set<String> refolding = Set.copyOf(plan.needHistory());
        int interval = refolds.snapshotInterval();
        Map<String, List<FoldSnapshot>> snapshots = new HashMap<>();
        for (String id : plan.moves().keySet()) {
            if (!refolding.contains(id)) {
                changes.add(RelationshipUpdate.append(plan, id, current.get(id), fresh.get(id), interval,
                        snapshot -> snapshots.computeIfAbsent(id, k -> new ArrayList<>()).add(snapshot)));
            }
        }
        repository.saveSnapshots(c, snapshots);
        // A late statement or a correction: from the last snapshot before the first statement whose effect
        // changes, streaming the statements after it (memory bounded whatever the history's length).
        for (String id : plan.needHistory()) {
            StoredHistory history = new StoredHistory(c, repository, id);
            long started = System.nanoTime();
            changes.add(RelationshipUpdate.refold(plan, id, current.get(id), fresh.get(id), interval, history));
            refolds.duration().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            refolds.statementsRead().increment(history.read());
        }
        if (repository.tables().equals(Generation.LIVE)) { // streams and long-polls everywhere hear of it on commit
            Map<String, ChangeOutbox.Before> befores = new HashMap<>();
            for (String id : plan.moves().keySet()) {
                Versioned before = current.get(id);
                List<Statement> cause = fresh.get(id);
                befores.put(id, new ChangeOutbox.Before(before == null ? null : before.state().status().name(),
                        cause == null || cause.isEmpty() ? null : cause.get(cause.size() - 1).eventId()));
            }
            stamps.putAll(repository.saveLiveProjections(c, changes, befores));
        } else {
            repository.saveProjections(c, changes);
        }
        changes.forEach(change -> written.put(change.state().id(), change));
        return changes.size();
    }
}
