package org.parley.status.persistence.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.parley.contract.Statement;
import org.parley.status.domain.FoldSnapshot;
import org.parley.status.domain.Refold;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipFold;
import org.parley.status.domain.RelationshipUpdate.Versioned;
import org.parley.status.persistence.CauseChain;
import org.parley.status.persistence.ProjectionRepository;
import org.parley.status.persistence.ProjectionWriter.InTransaction;
import org.parley.status.persistence.ProjectionWriter.Incoming;
import org.parley.status.persistence.ProjectionWriter.Outcome;
import org.parley.status.persistence.StoredHistory;
import org.parley.status.persistence.Generation;
import org.parley.status.persistence.Transactions;


/**
 * A replay loads its generation the way pg_restore does. Until it first catches up with the topic, each batch is
 * COPYed straight into the next statement table, which has no keys or indexes yet, with the next offsets and the
 * replay's progress in the same transaction (so a crash resumes from there, as before). Relationships whose
 * statements arrive in fold order are folded in memory on the way (their snapshots stored with the batch); the
 * others (a late statement, a correction) are marked and left for the end. Once caught up, {@link #finish}
 * builds in one transaction what the per-batch path kept up batch by batch: duplicates by eventId removed (the
 * first copy by partition and offset stays, as the primary key kept it; their relationships are refolded), the
 * keys and indexes of the live statement table built once, each marked relationship folded once from its first
 * statement with its version (the state-changing statements in arrival order, counted as
 * {@link org.parley.status.domain.RelationshipFold#changes} counts them), and every projection written once.
 * From then on the runner writes batch by batch ({@link org.parley.status.persistence.ProjectionWriter}) until
 * the switch. Whether a generation is loaded is its statement table's primary key: it exists only once finish
 * has committed. A load resumed after a restart, or after a failed batch, folds every relationship at the end.
 */
public final class BulkLoad {
    private static final Logger LOG = Logger.getLogger(BulkLoad.class);
    /** Projections saved per multi-row statement while finishing. */
    private static final int PROJECTIONS_PER_SAVE = 500;
    /** For the index builds of finish, in its transaction only. */
    private static final String MAINTENANCE_WORK_MEM = "128MB";

    private final DataSource dataSource;
    private final ProjectionRepository repository;
    private final Duration batchTimeout;
    private final Duration finishTimeout;
    private final int snapshotInterval;

    // Touched by one thread at a time: the writer thread between the loop's flushes, the loop thread in finish.
    /** Whether the states below cover every stored statement (false once resumed, or after a failed batch). */
    private boolean tracking;
    /** Relationships folded in memory as their statements arrived, in fold order so far. */
    private final Map<String, Versioned> folded = new HashMap<>();
    /** Relationships with a late statement or a correction: folded from the table at the end. */
    private final Set<String> marked = new HashSet<>();
    /** How many the last finish folded from the table (for its log line). */
    private int refolded;

    public BulkLoad(DataSource dataSource, ProjectionRepository repository, Duration batchTimeout, Duration finishTimeout,
            int snapshotInterval) {
        this.dataSource = dataSource;
        this.repository = repository;
        this.batchTimeout = batchTimeout;
        this.finishTimeout = finishTimeout;
        this.snapshotInterval = snapshotInterval;
        if (!repository.tables().equals(Generation.NEXT)) {
            throw new IllegalArgumentException("a bulk load writes the next generation only");
        }
    }

    private <T> T inTransaction(Duration timeout, Transactions.Work<T> work) {
        return Transactions.inNew(dataSource, timeout, work);
    }

    /**
     * Whether the next generation is loaded (finish committed): its statement table has its primary key. Also
     * where the load (re)starts: the in-memory fold is kept only while the table is empty at the start.
     */
    public boolean loaded() {
        folded.clear();
        marked.clear();
        return inTransaction(batchTimeout, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_index"
                    + " WHERE indrelid = to_regclass(?) AND indisprimary),"
                    + " NOT EXISTS (SELECT 1 FROM " + Generation.NEXT.statement() + ")")) {
                s.setString(1, Generation.NEXT.statement());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    tracking = rs.getBoolean(2);
                    return rs.getBoolean(1);
                }
            }
        });
    }

    /**
     * One batch of the load, in one transaction: the stored offsets compared-and-set, the statements COPYed
     * (one copy per eventId within the batch), the next offsets, and alsoInTransaction (the replay's progress,
     * which fences a runner that lost its lock).
     */
    public Outcome load(String topic, List<Incoming> incoming, Map<Integer, Long> expected, Map<Integer, Long> next,
            InTransaction alsoInTransaction) {
        Map<String, Versioned> moved = new HashMap<>();
        Set<String> newlyMarked = new HashSet<>();
        Outcome outcome;
        try {
            outcome = inTransaction(batchTimeout, c -> {
            Map<Integer, Long> stored = repository.offsets(c, topic, next.keySet(), true);
            for (Integer partition : next.keySet()) {
                if (!Objects.equals(stored.get(partition), expected.get(partition))) {
                    throw new IllegalStateException("partition " + partition + " of " + topic + " is stored at "
                            + stored.get(partition) + ", this replay expected " + expected.get(partition));
                }
            }
            Map<UUID, Incoming> distinct = new LinkedHashMap<>();
            for (Incoming in : incoming) {
                distinct.putIfAbsent(in.statement().eventId(), in);
            }
            repository.copyStatements(c, distinct.values());
            if (tracking) {
                repository.saveSnapshots(c, foldInMemory(distinct.values(), moved, newlyMarked));
            }
            repository.saveOffsets(c, topic, next);
            alsoInTransaction.run(c);
            return new Outcome(distinct.size(), incoming.size() - distinct.size(), 0);
            });
        } catch (RuntimeException e) {
            tracking = false; // committed or not, the database tells: every relationship is folded at the end
            throw e;
        }
        folded.putAll(moved);
        marked.addAll(newlyMarked);
        return outcome;
    }

    /**
     * The batch's statements appended to their relationships' states when they arrive in fold order (into
     * moved); the others' relationships go to newlyMarked. Returns the snapshots due on the way.
     */
    private Map<String, List<FoldSnapshot>> foldInMemory(Collection<Incoming> distinct, Map<String, Versioned> moved,
            Set<String> newlyMarked) {
        Map<String, List<Statement>> fresh = new LinkedHashMap<>();
        for (Incoming in : distinct) {
            String id = in.statement().relationshipId();
            if (!marked.contains(id)) {
                fresh.computeIfAbsent(id, k -> new ArrayList<>()).add(in.statement());
            }
        }
        Map<String, List<FoldSnapshot>> snapshots = new HashMap<>();
        fresh.forEach((id, statements) -> {
            Versioned before = folded.get(id);
            Relationship state = before == null ? RelationshipFold.initial(id) : before.state();
            if (RelationshipFold.needsRefold(state, statements)) {
                newlyMarked.add(id);
                return;
            }
            int changes = RelationshipFold.changes(state, statements);
            Relationship after = Refold.append(state, statements, snapshotInterval,
                    snapshot -> snapshots.computeIfAbsent(id, k -> new ArrayList<>()).add(snapshot));
            moved.put(id, new Versioned(after, (before == null ? 0 : before.version()) + changes));
        });
        return snapshots;
    }

    /**
     * Builds what the per-batch path would have kept up, in one transaction (a failure leaves the generation
     * unloaded, and the next attempt starts over): keys, indexes, projections, snapshots. A first attempt
     * builds the primary key directly; only when the topic repeated an eventId across batches does it fail,
     * and the next attempt removes the later copies first. fence: the replay's progress, which fails the
     * transaction when the runner lost its lock.
     */
    public void finish(long replayId, InTransaction fence) {
        long started = System.nanoTime();
        int[] relationships = new int[1];
        try {
            relationships[0] = inTransaction(finishTimeout, c -> finish(c, false, fence));
        } catch (RuntimeException e) {
            if (!CauseChain.sqlState(e, "23505")) {
                throw e;
            }
            LOG.infof("replay %d: the topic repeats eventIds across batches; removing the later copies", replayId);
            relationships[0] = inTransaction(finishTimeout, c -> finish(c, true, fence));
        }
        LOG.infof("replay %d: the next generation is loaded: keys and indexes built, %,d projections written, %s"
                + " (%d ms)", replayId, relationships[0], tracking ? String.format("%,d relationships refolded from the"
                + " table (late statements, corrections, repeated eventIds)", refolded) : "every relationship folded"
                + " from the table (a resumed load)", (System.nanoTime() - started) / 1_000_000);
    }

    private int finish(Connection c, boolean removeRepeats, InTransaction fence) throws Exception {
        fence.run(c);
        String table = Generation.NEXT.statement();
        Set<String> refold = new HashSet<>(marked);
        refolded = refold.size();
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SET LOCAL maintenance_work_mem = '" + MAINTENANCE_WORK_MEM + "'");
            if (removeRepeats) {
                // Their relationships folded the later copies in memory: folded again from the table.
                try (ResultSet rs = s.executeQuery("DELETE FROM " + table + " WHERE ctid IN (SELECT ctid FROM"
                        + " (SELECT ctid, row_number() OVER (PARTITION BY event_id ORDER BY kafka_partition, kafka_offset)"
                        + " AS copy FROM " + table + ") copies WHERE copy > 1) RETURNING relationship_id")) {
                    while (rs.next()) {
                        if (refold.add(rs.getString(1))) {
                            refolded++;
                        }
                    }
                }
            }
            s.execute("ALTER TABLE " + table + " ADD PRIMARY KEY (event_id)");
            // The live writer's retraction rule (RetractionOwnership), once for the whole load: a retraction of a
            // statement posted earlier by someone else counts only from an editor; a refused one is not stored.
            try (ResultSet rs = s.executeQuery("DELETE FROM " + table + " r USING " + table + " o"
                    + " WHERE r.type = 'STATEMENT_RETRACTED' AND o.event_id = (r.payload->>'retracts')::uuid"
                    + " AND o.kafka_partition = r.kafka_partition AND o.kafka_offset < r.kafka_offset"
                    + " AND coalesce(o.posted_by, '') <> '' AND r.posted_by IS DISTINCT FROM o.posted_by"
                    + " AND NOT coalesce('editor' = ANY(string_to_array(r.poster_roles, ',')), false)"
                    + " RETURNING r.relationship_id")) {
                while (rs.next()) {
                    if (refold.add(rs.getString(1))) {
                        refolded++;
                    }
                }
            }
            int n = 0;
            for (String index : secondaryIndexes(c, Generation.LIVE.statement())) {
                s.execute(index.replaceFirst("^CREATE (UNIQUE )?INDEX \\S+ ON \\S+ USING ",
                        "CREATE $1INDEX " + table + "_" + n++ + " ON " + table + " USING "));
            }
        }
        return fold(c, tracking ? refold : null);
    }

    /** The CREATE INDEX statements of the table's indexes other than its primary key. */
    private static List<String> secondaryIndexes(Connection c, String table) throws SQLException {
        List<String> definitions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT pg_get_indexdef(indexrelid) FROM pg_index"
                + " WHERE indrelid = ?::regclass AND NOT indisprimary ORDER BY indexrelid")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    definitions.add(rs.getString(1));
                }
            }
        }
        return definitions;
    }

    /** Versions and corrections of every relationship, from its statements in arrival order. */
    private static final class Arrivals {
        long version;
        final Set<UUID> retracted = new HashSet<>();
    }

    /**
     * Folds the relationships to refold (null: every one) once from their first statement, their snapshots laid
     * again, and writes every projection; returns how many there are.
     */
    private int fold(Connection c, Set<String> refold) throws Exception {
        List<Versioned> projections = new ArrayList<>(PROJECTIONS_PER_SAVE);
        int saved = 0;
        if (refold != null) {
            for (Map.Entry<String, Versioned> relationship : folded.entrySet()) {
                if (!refold.contains(relationship.getKey()) && relationship.getValue().version() > 0) {
                    projections.add(relationship.getValue());
                    if (projections.size() == PROJECTIONS_PER_SAVE) {
                        repository.saveProjections(c, projections);
                        saved += projections.size();
                        projections.clear();
                    }
                }
            }
            if (refold.isEmpty()) {
                repository.saveProjections(c, projections);
                return saved + projections.size();
            }
            try (PreparedStatement drop = c.prepareStatement("DELETE FROM " + Generation.NEXT.foldSnapshot()
                    + " WHERE relationship_id = ANY(?)")) {
                drop.setArray(1, c.createArrayOf("text", refold.toArray(String[]::new)));
                drop.executeUpdate();
            }
        }
        Map<String, Arrivals> arrivals = arrivals(c, refold);
        for (Map.Entry<String, Arrivals> relationship : arrivals.entrySet()) {
            Arrivals a = relationship.getValue();
            if (a.version == 0) {
                continue; // no statement changed it: the per-batch path stores no projection either
            }
            StoredHistory history = new StoredHistory(c, repository, relationship.getKey());
            projections.add(new Versioned(Refold.fromFirst(relationship.getKey(), a.retracted, snapshotInterval, history),
                    a.version));
            if (projections.size() == PROJECTIONS_PER_SAVE) {
                repository.saveProjections(c, projections);
                saved += projections.size();
                projections.clear();
            }
        }
        repository.saveProjections(c, projections);
        return saved + projections.size();
    }

    /**
     * Per relationship, in arrival (partition, offset) order, as the per-batch path counts versions: a
     * correction moves it when it names an id no earlier correction named; any other statement when no earlier
     * correction named it. The stored statements are one per eventId already.
     */
    private Map<String, Arrivals> arrivals(Connection c, Set<String> only) throws SQLException {
        Map<String, Arrivals> arrivals = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT relationship_id, event_id,"
                + " type = 'STATEMENT_RETRACTED', CASE WHEN type = 'STATEMENT_RETRACTED' THEN payload->>'retracts' END"
                + " FROM " + Generation.NEXT.statement() + (only == null ? "" : " WHERE relationship_id = ANY(?)")
                + " ORDER BY relationship_id, kafka_partition, kafka_offset")) {
            if (only != null) {
                s.setArray(1, c.createArrayOf("text", only.toArray(String[]::new)));
            }
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery()) {
                Arrivals current = null;
                String currentId = null;
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (!id.equals(currentId)) {
                        currentId = id;
                        current = arrivals.computeIfAbsent(id, k -> new Arrivals());
                    }
                    if (rs.getBoolean(3)) {
                        String retracts = rs.getString(4);
                        if (retracts != null && current.retracted.add(UUID.fromString(retracts))) {
                            current.version++;
                        }
                    } else if (!current.retracted.contains(rs.getObject(2, UUID.class))) {
                        current.version++;
                    }
                }
            }
        }
        return arrivals;
    }
}
