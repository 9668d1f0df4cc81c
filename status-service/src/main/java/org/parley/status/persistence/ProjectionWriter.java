package org.parley.status.persistence;

import java.sql.Array;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipFold;
import org.parley.status.domain.Statement;
import org.parley.status.kafka.StatementParser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Writes one poll batch in one transaction: the new statements (the primary key dedupes), the projections
 * they change, and the consumer's next offsets. Either all of it is there or none, so a crash at any
 * instant neither loses nor double-counts a statement.
 */
@ApplicationScoped
public class ProjectionWriter {
    private static final int REFOLD_CHUNK = 32;


    /** A statement taken from the topic, with where it was read. */
    public record Incoming(Statement statement, String payload, int partition, long offset) {
    }

    public record Outcome(int applied, int duplicates, int relationshipsChanged) {
    }

    /** Another consumer moved the stored offsets: this batch is stale and must be re-read from there. */
    public static final class StaleOffsetsException extends RuntimeException {
        StaleOffsetsException(String message) {
            super(message);
        }
    }

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Tables tables;

    @Inject
    public ProjectionWriter(DataSource dataSource, ObjectMapper json) {
        this(dataSource, json, Tables.LIVE);
    }

    public ProjectionWriter(DataSource dataSource, ObjectMapper json, Tables tables) {
        this(dataSource, json, tables, 0);
    }

    /**
     * cachedProjections > 0: keeps up to that many projections as last written, to skip reading them back
     * (and their JSON) in the next batches. Only for a writer that is the single writer of its tables and
     * is called from one thread at a time: a replay's.
     */
    public ProjectionWriter(DataSource dataSource, ObjectMapper json, Tables tables, int cachedProjections) {
        this.dataSource = dataSource;
        this.json = json;
        this.tables = tables;
        this.cache = cachedProjections <= 0 ? null : new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) {
                return size() > cachedProjections;
            }
        };
    }

    private final Map<String, Stored> cache;

    /** The stored next offset per partition of the topic; partitions never written are absent. */
    public Map<Integer, Long> storedOffsets(String topic, Collection<Integer> partitions) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return offsets(c, topic, partitions, false);
            }
        });
    }

    /** More work for the batch's transaction, run after the batch is written (e.g. a replay's progress). */
    @FunctionalInterface
    public interface InTransaction {
        void run(Connection connection) throws SQLException;
    }

    public Tables tables() {
        return tables;
    }

    /**
     * expected: the stored offsets this consumer last saw (absent = none stored) for every partition in
     * nextOffsets; they are checked under a row lock, which fences off a consumer that lost its partitions
     * without noticing.
     */
    public Outcome write(String topic, List<Incoming> incoming, Map<Integer, Long> expected,
            Map<Integer, Long> nextOffsets) {
        return write(topic, incoming, expected, nextOffsets, null);
    }

    /** As above; also runs alsoInTransaction in the batch's transaction (null: nothing more). */
    public Outcome write(String topic, List<Incoming> incoming, Map<Integer, Long> expected,
            Map<Integer, Long> nextOffsets, InTransaction alsoInTransaction) {
        Map<String, Stored> written = cache == null ? null : new HashMap<>();
        try {
            Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection()) {
                    Outcome result = write(c, topic, incoming, expected, nextOffsets, written);
                    if (alsoInTransaction != null) {
                        alsoInTransaction.run(c);
                    }
                    return result;
                }
            });
            if (cache != null) {
                cache.putAll(written); // committed
            }
            return outcome;
        } catch (RuntimeException e) {
            if (cache != null) {
                cache.clear(); // committed or not: the database tells
            }
            throw e;
        }
    }

    /** written: receives the projections as they stand after this batch (null: not wanted). */
    private Outcome write(Connection c, String topic, List<Incoming> incoming, Map<Integer, Long> expected,
            Map<Integer, Long> nextOffsets, Map<String, Stored> written) throws SQLException, JsonProcessingException {
        Map<Integer, Long> stored = offsets(c, topic, nextOffsets.keySet(), true);
        for (Integer partition : nextOffsets.keySet()) {
            if (!Objects.equals(stored.get(partition), expected.get(partition))) {
                throw new StaleOffsetsException("partition " + partition + " of " + topic + " is stored at "
                        + stored.get(partition) + ", this consumer expected " + expected.get(partition));
            }
        }

        Map<UUID, Incoming> distinct = new LinkedHashMap<>();
        incoming.forEach(in -> distinct.putIfAbsent(in.statement().eventId(), in));
        Set<UUID> inserted = insertStatements(c, distinct.values());
        // Per relationship, the new statements in arrival order: the records' order, which is offset order
        // within a partition, and a relationship's statements share one partition (the key).
        Map<String, List<Statement>> fresh = new LinkedHashMap<>();
        for (Incoming in : distinct.values()) {
            if (inserted.contains(in.statement().eventId())) {
                fresh.computeIfAbsent(in.statement().relationshipId(), id -> new ArrayList<>()).add(in.statement());
            }
        }

        int changed = 0;
        if (!fresh.isEmpty()) {
            Map<String, Stored> current = new HashMap<>();
            List<String> missing = new ArrayList<>();
            for (String id : fresh.keySet()) {
                Stored cached = cache == null ? null : cache.get(id);
                if (cached != null) {
                    current.put(id, cached);
                } else {
                    missing.add(id);
                }
            }
            current.putAll(projections(c, missing));
            if (written != null) {
                written.putAll(current);
            }
            Map<String, Integer> moves = new HashMap<>();
            List<String> refold = new ArrayList<>();
            for (Map.Entry<String, List<Statement>> entry : fresh.entrySet()) {
                String id = entry.getKey();
                Stored before = current.get(id);
                Relationship old = before == null ? RelationshipFold.initial(id) : before.state();
                int changes = RelationshipFold.changes(old, entry.getValue());
                if (changes > 0) {
                    moves.put(id, changes);
                    if (RelationshipFold.needsRefold(old, entry.getValue())) {
                        refold.add(id);
                    }
                }
            }
            List<Changed> changes = new ArrayList<>(moves.size());
            Set<String> refolding = new HashSet<>(refold);
            for (Map.Entry<String, Integer> move : moves.entrySet()) {
                if (!refolding.contains(move.getKey())) {
                    changes.add(applied(move, current, fresh, Map.of()));
                }
            }
            // Refolds read every stored statement of a relationship: a few relationships per round trip, so
            // a burst of late reports over long histories cannot hold them all in memory at once.
            for (int from = 0; from < refold.size(); from += REFOLD_CHUNK) {
                List<String> chunk = refold.subList(from, Math.min(refold.size(), from + REFOLD_CHUNK));
                Map<String, List<Statement>> all = storedStatements(c, chunk);
                for (String id : chunk) {
                    changes.add(applied(Map.entry(id, moves.get(id)), current, fresh, all));
                }
            }
            upsertProjections(c, changes);
            if (tables.equals(Tables.LIVE)) { // streams and long-polls everywhere hear of it on commit
                ChangeFeed.stamp(c, tables.relationship(), moves.keySet());
            }
            if (written != null) {
                changes.forEach(change -> written.put(change.state().id(), new Stored(change.state(), change.version())));
            }
            changed = changes.size();
        }
        upsertOffsets(c, topic, nextOffsets);
        return new Outcome(inserted.size(), incoming.size() - inserted.size(), changed);
    }

    private static Changed applied(Map.Entry<String, Integer> move, Map<String, Stored> current,
            Map<String, List<Statement>> fresh, Map<String, List<Statement>> stored) {
        String id = move.getKey();
        Stored before = current.get(id);
        Relationship old = before == null ? RelationshipFold.initial(id) : before.state();
        Relationship now = RelationshipFold.apply(old, fresh.get(id), () -> stored.get(id));
        return new Changed(now, (before == null ? 0 : before.version()) + move.getValue());
    }

    private record Stored(Relationship state, long version) {
    }

    private record Changed(Relationship state, long version) {
    }

    private Map<Integer, Long> offsets(Connection c, String topic, Collection<Integer> partitions, boolean lock)
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

    /** One round trip for the whole batch; returns the eventIds that were not stored before. */
    private Set<UUID> insertStatements(Connection c, Collection<Incoming> statements) throws SQLException {
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
        for (Incoming in : statements) {
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

    /** Locked: the fold reads and writes them in this transaction. */
    private Map<String, Stored> projections(Connection c, Collection<String> ids)
            throws SQLException, JsonProcessingException {
        Map<String, Stored> current = new HashMap<>();
        if (ids.isEmpty()) {
            return current;
        }
        try (PreparedStatement select = c.prepareStatement("SELECT id, state::text, version FROM "
                + tables.relationship() + " WHERE id = ANY(?) ORDER BY id FOR UPDATE")) {
            Array array = c.createArrayOf("text", ids.toArray(String[]::new));
            select.setArray(1, array);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    current.put(rs.getString(1),
                            new Stored(json.readValue(rs.getString(2), Relationship.class), rs.getLong(3)));
                }
            }
        }
        return current;
    }

    /** Every stored statement of each relationship, rebuilt from its payload (exact instants). */
    private Map<String, List<Statement>> storedStatements(Connection c, List<String> relationshipIds)
            throws SQLException {
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

    private void upsertProjections(Connection c, List<Changed> changes) throws SQLException, JsonProcessingException {
        if (changes.isEmpty()) {
            return;
        }
        changes.sort(Comparator.comparing(change -> change.state().id()));
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO " + tables.relationship()
                + " (id, party_a, party_b, status, state, event_count, last_event_at, version, updated_at)"
                + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, now()) ON CONFLICT (id) DO UPDATE SET"
                + " status = EXCLUDED.status, state = EXCLUDED.state, event_count = EXCLUDED.event_count,"
                + " last_event_at = EXCLUDED.last_event_at, version = EXCLUDED.version, updated_at = now()")) {
            for (Changed change : changes) {
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

    private void upsertOffsets(Connection c, String topic, Map<Integer, Long> nextOffsets) throws SQLException {
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
