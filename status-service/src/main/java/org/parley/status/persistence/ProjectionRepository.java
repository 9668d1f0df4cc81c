package org.parley.status.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.parley.status.domain.FoldKey;
import org.parley.status.domain.FoldSnapshot;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipUpdate.Versioned;
import org.parley.contract.Statement;
import org.parley.contract.StatementRules;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The SQL of one generation of the projection ({@link Generation}): statements, projections, fold snapshots and
 * stored offsets.
 * Every method runs in the caller's transaction, on the connection it is given.
 */
public final class ProjectionRepository {
    private static final Logger LOG = Logger.getLogger(ProjectionRepository.class);
    // Global registry: Quarkus adds its Prometheus registry to it, and repositories are built outside CDI.
    private static final Counter CONFLICTS = Metrics.counter("parley.statements.conflicts");
    private final Generation tables;
    private final ObjectMapper json;

    public ProjectionRepository(Generation tables, ObjectMapper json) {
        this.tables = tables;
        this.json = json;
    }

    public Generation tables() {
        return tables;
    }

    /** The stored next offset per partition; partitions never written are absent. lock: FOR UPDATE. */
    public Map<Integer, Long> offsets(Connection c, String topic, Collection<Integer> partitions, boolean lock)
            throws SQLException {
        Map<Integer, Long> offsets = new HashMap<>();
        if (partitions.isEmpty()) {
            return offsets;
        }
        try (PreparedStatement select = c.prepareStatement("SELECT partition, next_offset FROM "
                + tables.consumerOffset() + " WHERE topic = ? AND partition = ANY(?)" + (lock ? " FOR UPDATE" : ""))) {
            select.setString(1, topic);
            select.setArray(2, c.createArrayOf("integer", partitions.toArray(Integer[]::new)));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    offsets.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return offsets;
    }

    /**
     * Stages the batch with COPY ({@link StatementCopy}) and inserts it in one statement; returns the eventIds
     * that were not stored before (the primary key dedupes). Once per transaction: the staging table empties at
     * commit. The transaction has run {@link StatementCopy#CREATE_STAGING} (the writer sends it first).
     */
    public Set<UUID> insertNew(Connection c, Collection<ProjectionWriter.Incoming> statements) throws SQLException {
        Set<UUID> inserted = new HashSet<>();
        if (statements.isEmpty()) {
            return inserted;
        }
        StatementCopy.stage(c, statements);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + tables.statement()
                + " (event_id, relationship_id, type, source, target, occurred_at, recorded_at, kafka_partition,"
                + " kafka_offset, payload, posted_by, poster_roles) SELECT event_id, relationship_id, type, source, target,"
                + " occurred_at, recorded_at, kafka_partition, kafka_offset, payload::jsonb, posted_by, poster_roles FROM "
                + StatementCopy.STAGING
                + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id");
                ResultSet rs = insert.executeQuery()) {
            while (rs.next()) {
                inserted.add(rs.getObject(1, UUID.class));
            }
        }
        if (inserted.size() < statements.size()) {
            reportConflicts(c);
        }
        return inserted;
    }

    /**
     * A replay's bulk load: COPY straight into this generation's statement table, no staging table and no
     * conflict check (the table has no keys yet; duplicates are removed once, when its keys are built).
     */
    public void copyStatements(Connection c, Collection<ProjectionWriter.Incoming> statements) throws SQLException {
        if (!statements.isEmpty()) {
            StatementCopy.copy(c, tables.statement(), statements);
        }
    }

    /** Who posted these stored statements (eventIds of statements stored without a poster map to ""). */
    public Map<UUID, String> postersOf(Connection c, Collection<UUID> eventIds) throws SQLException {
        Map<UUID, String> posters = new HashMap<>();
        if (eventIds.isEmpty()) {
            return posters;
        }
        try (PreparedStatement select = c.prepareStatement("SELECT event_id, coalesce(posted_by, '') FROM "
                + tables.statement() + " WHERE event_id = ANY(?)")) {
            select.setArray(1, c.createArrayOf("uuid", eventIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    posters.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
        }
        return posters;
    }

    /**
     * A statement under an eventId already stored with other content (recordedAt aside, which a re-post
     * changes) is a conflict, not a duplicate: the stored one stays, and the other is kept aside in
     * statement_conflict with its poster, logged and counted (parley.statements.conflicts), so that a squatted
     * eventId never goes unnoticed and neither statement is lost. Met again (a redelivery), it is not counted twice.
     */
    private void reportConflicts(Connection c) throws SQLException {
        try (PreparedStatement keep = c.prepareStatement("INSERT INTO statement_conflict (event_id, relationship_id,"
                + " kafka_partition, kafka_offset, payload, posted_by, stored_posted_by)"
                + " SELECT i.event_id, i.relationship_id, i.kafka_partition, i.kafka_offset, i.payload::jsonb,"
                + " i.posted_by, s.posted_by FROM " + StatementCopy.STAGING + " i JOIN " + tables.statement()
                + " s USING (event_id) WHERE (s.payload - 'recordedAt') IS DISTINCT FROM (i.payload::jsonb - 'recordedAt')"
                + " ON CONFLICT (event_id, kafka_partition, kafka_offset) DO NOTHING"
                + " RETURNING event_id, stored_posted_by, posted_by, kafka_partition, kafka_offset");
                ResultSet rs = keep.executeQuery()) {
            while (rs.next()) {
                CONFLICTS.increment();
                LOG.warnf("Conflict: eventId %s is already stored with other content (posted by %s); the record at "
                        + "partition %d offset %d (posted by %s) is kept aside in statement_conflict, not applied",
                        rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(4), rs.getLong(5), rs.getString(3));
            }
        }
    }

    /** Locked (in id order, so that concurrent writers cannot deadlock): the update reads and writes them. */
    public Map<String, Versioned> projectionsForUpdate(Connection c, Collection<String> ids)
            throws SQLException, JsonProcessingException {
        Map<String, Versioned> current = new HashMap<>();
        if (ids.isEmpty()) {
            return current;
        }
        try (PreparedStatement select = c.prepareStatement("SELECT id, state::text, version FROM "
                + tables.relationship() + " WHERE id = ANY(?) ORDER BY id FOR UPDATE")) {
            select.setArray(1, c.createArrayOf("text", ids.toArray(String[]::new)));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    current.put(rs.getString(1),
                            new Versioned(json.readValue(rs.getString(2), Relationship.class), rs.getLong(3)));
                }
            }
        }
        return current;
    }

    /**
     * A live projection as a write left it; rowVersion is the row's xmin, the transaction that wrote it, which
     * every later write of the row changes (whoever makes it, numbered in the change feed or not).
     */
    public record Stamped(Versioned projection, long rowVersion) {
    }

    /**
     * Locked like {@link #projectionsForUpdate(Connection, Collection)}, but the state of a row still as known's
     * entry saw it (same xmin) is neither sent nor parsed: that entry is the row. stamps receives every row's xmin.
     */
    public Map<String, Versioned> projectionsForUpdate(Connection c, Collection<String> ids, Map<String, Stamped> known,
            Map<String, Long> stamps) throws SQLException, JsonProcessingException {
        Map<String, Versioned> current = new HashMap<>();
        if (ids.isEmpty()) {
            return current;
        }
        List<String> knownIds = new ArrayList<>(known.keySet());
        try (PreparedStatement select = c.prepareStatement("SELECT r.id, r.version, r.xmin::text::bigint, CASE WHEN"
                + " r.xmin::text::bigint = k.row_version THEN NULL ELSE r.state::text END FROM " + tables.relationship()
                + " r LEFT JOIN unnest(?::text[], ?::bigint[]) AS k(id, row_version) ON k.id = r.id WHERE r.id = ANY(?)"
                + " ORDER BY r.id FOR UPDATE OF r")) {
            select.setArray(1, c.createArrayOf("text", knownIds.toArray(String[]::new)));
            select.setArray(2, c.createArrayOf("bigint", knownIds.stream().map(id -> known.get(id).rowVersion()).toArray(Long[]::new)));
            select.setArray(3, c.createArrayOf("text", ids.toArray(String[]::new)));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    String state = rs.getString(4);
                    current.put(id, state == null ? known.get(id).projection()
                            : new Versioned(json.readValue(state, Relationship.class), rs.getLong(2)));
                    stamps.put(id, rs.getLong(3));
                }
            }
        }
        return current;
    }

    /** The relationship's stored statements among ids, rebuilt from their payloads (exact instants). */
    public Map<UUID, Statement> statements(Connection c, String relationshipId, Collection<UUID> ids)
            throws SQLException {
        Map<UUID, Statement> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        try (PreparedStatement select = c.prepareStatement("SELECT payload::text FROM " + tables.statement()
                + " WHERE event_id = ANY(?) AND relationship_id = ?")) {
            select.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            select.setString(2, relationshipId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Statement statement = StatementRules.stored(rs.getString(1));
                    found.put(statement.eventId(), statement);
                }
            }
        }
        return found;
    }

    /** The relationship's snapshot nearest before position (strictly), if any. */
    public Optional<FoldSnapshot> lastSnapshotBefore(Connection c, String relationshipId, FoldKey position)
            throws SQLException, JsonProcessingException {
        return lastSnapshotBefore(c, relationshipId, position.key());
    }

    private Optional<FoldSnapshot> lastSnapshotBefore(Connection c, String relationshipId, String key)
            throws SQLException, JsonProcessingException {
        try (PreparedStatement select = c.prepareStatement("SELECT fold_key, state::text FROM " + tables.foldSnapshot()
                + " WHERE relationship_id = ? AND fold_key < ? ORDER BY fold_key DESC LIMIT 1")) {
            select.setString(1, relationshipId);
            select.setString(2, key);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next()
                        ? Optional.of(new FoldSnapshot(FoldKey.ofKey(rs.getString(1)),
                                json.readValue(rs.getString(2), Relationship.class)))
                        : Optional.empty();
            }
        }
    }

    /** The relationship's snapshot nearest before every statement that occurred after `at`, if any. */
    public Optional<FoldSnapshot> lastSnapshotBy(Connection c, String relationshipId, Instant at)
            throws SQLException, JsonProcessingException {
        return lastSnapshotBefore(c, relationshipId, FoldKey.keyAfter(at));
    }

    /** The ids the relationship's stored corrections name. */
    public Set<UUID> retractedIds(Connection c, String relationshipId) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (PreparedStatement select = c.prepareStatement("SELECT lower(payload->>'retracts') FROM "
                + tables.statement() + " WHERE relationship_id = ? AND type = 'STATEMENT_RETRACTED'")) {
            select.setString(1, relationshipId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1) != null) {
                        ids.add(UUID.fromString(rs.getString(1)));
                    }
                }
            }
        }
        return ids;
    }

    /** Drops the relationship's snapshots at or after position. */
    public void dropSnapshotsFrom(Connection c, String relationshipId, FoldKey position) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + tables.foldSnapshot()
                + " WHERE relationship_id = ? AND fold_key >= ?")) {
            delete.setString(1, relationshipId);
            delete.setString(2, position.key());
            delete.executeUpdate();
        }
    }

    /** One multi-row statement (reWriteBatchedInserts); a snapshot at the same position is replaced. */
    public void saveSnapshots(Connection c, Map<String, List<FoldSnapshot>> byRelationship)
            throws SQLException, JsonProcessingException {
        if (byRelationship.values().stream().allMatch(List::isEmpty)) {
            return;
        }
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + tables.foldSnapshot()
                + " (relationship_id, fold_key, state) VALUES (?, ?, ?::jsonb)"
                + " ON CONFLICT (relationship_id, fold_key) DO UPDATE SET state = EXCLUDED.state")) {
            for (Map.Entry<String, List<FoldSnapshot>> snapshots : byRelationship.entrySet()) {
                for (FoldSnapshot snapshot : snapshots.getValue()) {
                    upsert.setString(1, snapshots.getKey());
                    upsert.setString(2, snapshot.position().key());
                    upsert.setString(3, json.writeValueAsString(snapshot.state()));
                    upsert.addBatch();
                }
            }
            upsert.executeBatch();
        }
    }

    /** One multi-row statement (reWriteBatchedInserts), in id order like the locks. */
    public void saveProjections(Connection c, Collection<Versioned> changed) throws SQLException, JsonProcessingException {
        if (changed.isEmpty()) {
            return;
        }
        List<Versioned> sorted = new ArrayList<>(changed);
        sorted.sort(Comparator.comparing(v -> v.state().id()));
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + tables.relationship()
                + " (id, party_a, party_b, status, state, event_count, last_event_at, version, updated_at)"
                + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, now()) ON CONFLICT (id) DO UPDATE SET"
                + " status = EXCLUDED.status, state = EXCLUDED.state, event_count = EXCLUDED.event_count,"
                + " last_event_at = EXCLUDED.last_event_at, version = EXCLUDED.version, updated_at = now()")) {
            for (Versioned change : sorted) {
                Relationship r = change.state();
                Instant lastEventAt = r.lastEventAt();
                upsert.setString(1, r.id());
                upsert.setString(2, r.parties().get(0));
                upsert.setString(3, r.parties().get(1));
                upsert.setString(4, r.status().name());
                upsert.setString(5, json.writeValueAsString(r));
                upsert.setInt(6, r.eventCount());
                if (lastEventAt == null) {
                    upsert.setNull(7, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    upsert.setObject(7, lastEventAt.atOffset(ZoneOffset.UTC));
                }
                upsert.setLong(8, change.version());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /**
     * The live generation's projections and their change feed in one statement, under the change feed's lock
     * (taken first, so that change numbers are handed out in commit order): each row gets the next change_seq,
     * its change goes to the outbox (relationship_change) and listeners are notified
     * ({@link ChangeFeed#NOTIFY_NUMBERED}). In id order like the locks; befores: per id, what the row does not know.
     * Returns each row's xmin ({@link Stamped}).
     */
    public Map<String, Long> saveLiveProjections(Connection c, Collection<Versioned> changed,
            Map<String, ChangeOutbox.Before> befores) throws SQLException, JsonProcessingException {
        Map<String, Long> stamps = new HashMap<>();
        if (changed.isEmpty()) {
            return stamps;
        }
        List<Versioned> sorted = new ArrayList<>(changed);
        sorted.sort(Comparator.comparing(v -> v.state().id()));
        int n = sorted.size();
        String[] ids = new String[n], partyA = new String[n], partyB = new String[n], status = new String[n],
                state = new String[n], lastEventAt = new String[n], before = new String[n];
        Integer[] eventCount = new Integer[n];
        Long[] version = new Long[n];
        UUID[] cause = new UUID[n];
        for (int i = 0; i < n; i++) {
            Relationship r = sorted.get(i).state();
            ids[i] = r.id();
            partyA[i] = r.parties().get(0);
            partyB[i] = r.parties().get(1);
            status[i] = r.status().name();
            state[i] = json.writeValueAsString(r);
            eventCount[i] = r.eventCount();
            lastEventAt[i] = r.lastEventAt() == null ? null : r.lastEventAt().toString();
            version[i] = sorted.get(i).version();
            ChangeOutbox.Before b = befores.get(r.id());
            before[i] = b == null ? null : b.status();
            cause[i] = b == null ? null : b.cause();
        }
        ChangeFeed.lock(c);
        try (PreparedStatement save = c.prepareStatement("WITH input AS (SELECT * FROM unnest(?::text[], ?::text[],"
                + " ?::text[], ?::text[], ?::text[], ?::integer[], ?::text[], ?::bigint[], ?::text[], ?::uuid[])"
                + " AS i(id, party_a, party_b, status, state, event_count, last_event_at, version, status_before, cause)),"
                + " saved AS (INSERT INTO " + tables.relationship() + " AS r (id, party_a, party_b, status, state,"
                + " event_count, last_event_at, version, updated_at, change_seq) SELECT id, party_a, party_b, status,"
                + " state::jsonb, event_count, last_event_at::timestamptz, version, now(), nextval('relationship_change_seq')"
                + " FROM input ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state,"
                + " event_count = EXCLUDED.event_count, last_event_at = EXCLUDED.last_event_at,"
                + " version = EXCLUDED.version, updated_at = EXCLUDED.updated_at, change_seq = EXCLUDED.change_seq"
                + " RETURNING r.id, r.party_a, r.party_b, r.status, r.version, r.change_seq, r.updated_at,"
                + " r.xmin::text::bigint AS row_version),"
                + " outbox AS (INSERT INTO relationship_change (change_seq, relationship_id, party_a, party_b,"
                + " status_before, status_after, version, cause_event_id, changed_at) SELECT s.change_seq, s.id,"
                + " s.party_a, s.party_b, i.status_before, s.status, s.version, i.cause, s.updated_at FROM saved s"
                + " JOIN input i ON i.id = s.id ON CONFLICT (change_seq) DO NOTHING) SELECT "
                + ChangeFeed.NOTIFY_NUMBERED + ", array_agg(id), array_agg(row_version) FROM saved")) {
            Object[][] columns = { ids, partyA, partyB, status, state, eventCount, lastEventAt, version, before, cause };
            String[] types = { "text", "text", "text", "text", "text", "integer", "text", "bigint", "text", "uuid" };
            for (int i = 0; i < columns.length; i++) {
                save.setArray(i + 1, c.createArrayOf(types[i], columns[i]));
            }
            try (ResultSet rs = save.executeQuery()) {
                rs.next();
                String[] savedIds = (String[]) rs.getArray(2).getArray();
                Long[] rowVersions = (Long[]) rs.getArray(3).getArray();
                for (int i = 0; i < savedIds.length; i++) {
                    stamps.put(savedIds[i], rowVersions[i]);
                }
            }
        }
        return stamps;
    }

    /**
     * Idempotent consumer's fence, one compare-and-set statement: each partition of next moves from its expected
     * offset (absent: none stored) to next, the row locked until commit; returns the partitions that were not
     * where expected (another consumer moved them: nothing of this batch may be written).
     */
    public Set<Integer> moveOffsets(Connection c, String topic, Map<Integer, Long> expected, Map<Integer, Long> next)
            throws SQLException {
        Set<Integer> stale = new HashSet<>(next.keySet());
        if (next.isEmpty()) {
            return stale;
        }
        List<Integer> partitions = new ArrayList<>(next.keySet());
        try (PreparedStatement move = c.prepareStatement("WITH want AS (SELECT * FROM unnest(?::integer[],"
                + " ?::bigint[], ?::bigint[]) AS w(p, expected, next)), moved AS (UPDATE " + tables.consumerOffset()
                + " o SET next_offset = w.next FROM want w WHERE o.topic = ? AND o.partition = w.p"
                + " AND o.next_offset = w.expected RETURNING o.partition), created AS (INSERT INTO "
                + tables.consumerOffset() + " (topic, partition, next_offset) SELECT ?, p, next FROM want"
                + " WHERE expected IS NULL ON CONFLICT (topic, partition) DO NOTHING RETURNING partition)"
                + " SELECT partition FROM moved UNION ALL SELECT partition FROM created")) {
            move.setArray(1, c.createArrayOf("integer", partitions.toArray(Integer[]::new)));
            move.setArray(2, c.createArrayOf("bigint", partitions.stream().map(expected::get).toArray(Long[]::new)));
            move.setArray(3, c.createArrayOf("bigint", partitions.stream().map(next::get).toArray(Long[]::new)));
            move.setString(4, topic);
            move.setString(5, topic);
            try (ResultSet rs = move.executeQuery()) {
                while (rs.next()) {
                    stale.remove(rs.getInt(1));
                }
            }
        }
        return stale;
    }

    public void saveOffsets(Connection c, String topic, Map<Integer, Long> nextOffsets) throws SQLException {
        if (nextOffsets.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + tables.consumerOffset()
                + " (topic, partition, next_offset) SELECT ?, p, o FROM unnest(?::integer[], ?::bigint[]) AS t(p, o)"
                + " ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset")) {
            List<Integer> partitions = new ArrayList<>(nextOffsets.keySet());
            upsert.setString(1, topic);
            upsert.setArray(2, c.createArrayOf("integer", partitions.toArray(Integer[]::new)));
            upsert.setArray(3, c.createArrayOf("bigint", partitions.stream().map(nextOffsets::get).toArray(Long[]::new)));
            upsert.executeUpdate();
        }
    }
}
