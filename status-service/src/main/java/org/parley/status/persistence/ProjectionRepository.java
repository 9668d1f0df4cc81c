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
import java.util.Set;
import java.util.UUID;

import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipUpdate.Versioned;
import org.parley.status.domain.Statement;
import org.parley.status.kafka.StatementParser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The SQL of one generation of the projection ({@link Tables}): statements, projections and stored offsets.
 * Every method runs in the caller's transaction, on the connection it is given.
 */
public final class ProjectionRepository {
    private final Tables tables;
    private final ObjectMapper json;

    public ProjectionRepository(Tables tables, ObjectMapper json) {
        this.tables = tables;
        this.json = json;
    }

    public Tables tables() {
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

    /** One round trip for the whole batch; returns the eventIds that were not stored before (the primary key dedupes). */
    public Set<UUID> insertNew(Connection c, Collection<ProjectionWriter.Incoming> statements) throws SQLException {
        Set<UUID> inserted = new HashSet<>();
        if (statements.isEmpty()) {
            return inserted;
        }
        int n = statements.size();
        String[] ids = new String[n], relationships = new String[n], types = new String[n], sources = new String[n],
                targets = new String[n], occurred = new String[n], recorded = new String[n], payloads = new String[n];
        Integer[] partitions = new Integer[n];
        Long[] offsets = new Long[n];
        int i = 0;
        for (ProjectionWriter.Incoming in : statements) {
            Statement s = in.statement();
            ids[i] = s.eventId().toString();
            relationships[i] = s.relationshipId();
            types[i] = s.type().name();
            sources[i] = s.source();
            targets[i] = s.target();
            occurred[i] = s.occurredAt().toString();
            recorded[i] = s.recordedAt().toString();
            partitions[i] = in.partition();
            offsets[i] = in.offset();
            payloads[i] = in.payload();
            i++;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + tables.statement()
                + " (event_id, relationship_id, type, source, target, occurred_at, recorded_at, kafka_partition,"
                + " kafka_offset, payload) SELECT * FROM unnest(?::text[]::uuid[], ?::text[], ?::text[], ?::text[],"
                + " ?::text[], ?::text[]::timestamptz[], ?::text[]::timestamptz[], ?::integer[], ?::bigint[],"
                + " ?::text[]::jsonb[]) ON CONFLICT (event_id) DO NOTHING RETURNING event_id")) {
            int p = 1;
            for (String[] column : List.of(ids, relationships, types, sources, targets, occurred, recorded)) {
                insert.setArray(p++, c.createArrayOf("text", column));
            }
            insert.setArray(p++, c.createArrayOf("integer", partitions));
            insert.setArray(p++, c.createArrayOf("bigint", offsets));
            insert.setArray(p, c.createArrayOf("text", payloads));
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return inserted;
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

    /** Every stored statement of each relationship, rebuilt from its payload (exact instants). */
    public Map<String, List<Statement>> histories(Connection c, List<String> relationshipIds) throws SQLException {
        Map<String, List<Statement>> all = new HashMap<>();
        if (relationshipIds.isEmpty()) {
            return all;
        }
        relationshipIds.forEach(id -> all.put(id, new ArrayList<>()));
        try (PreparedStatement select = c.prepareStatement("SELECT relationship_id, payload::text FROM "
                + tables.statement() + " WHERE relationship_id = ANY(?)")) {
            select.setFetchSize(10_000);
            select.setArray(1, c.createArrayOf("text", relationshipIds.toArray(String[]::new)));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    all.get(rs.getString(1)).add(StatementParser.fromPayload(rs.getString(2)));
                }
            }
        }
        return all;
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
