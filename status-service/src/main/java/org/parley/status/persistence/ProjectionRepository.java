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
     * commit.
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
