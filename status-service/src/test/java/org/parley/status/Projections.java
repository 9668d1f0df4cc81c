package org.parley.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipFold;
import org.parley.contract.Statement;
import org.parley.contract.StatementRules;
import org.parley.status.consumer.StatementParser;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The stored projections, and what they must be: the pure fold of everything on the topic. */
public final class Projections {

    /** A relationship row, every column but updated_at. */
    public record Row(String id, String partyA, String partyB, String status, String state, int eventCount,
            String lastEventAt, long version) {
    }

    private Projections() {
    }

    public static Map<String, Row> snapshot(DataSource dataSource) throws SQLException {
        Map<String, Row> rows = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT id, party_a, party_b, status, state::text, event_count, last_event_at::text, version"
                        + " FROM relationship")) {
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getInt(6), rs.getString(7), rs.getLong(8)));
                }
            }
        }
        return rows;
    }

    /** A relationship's stored statements (any order), read back from the live statement table. */
    public static List<Statement> storedStatements(DataSource dataSource, String id) throws SQLException {
        List<Statement> all = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT payload::text FROM statement WHERE relationship_id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    all.add(StatementRules.stored(rs.getString(1)));
                }
            }
        }
        return all;
    }

    /** Per relationship, its statements in arrival order (the first copy of each eventId), read from the topic. */
    public static Map<String, List<Statement>> topic(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        config.putAll(TestBroker.fixture());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Map<String, List<Statement>> byRelationship = new LinkedHashMap<>();
        Set<UUID> seen = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 60_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to " + ends);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (StatementParser.parse(r.key(), r.value()) instanceof StatementParser.Parsed parsed
                            && seen.add(parsed.statement().eventId())) {
                        byRelationship.computeIfAbsent(parsed.statement().relationshipId(), id -> new ArrayList<>())
                                .add(parsed.statement());
                    }
                }
            }
        }
        return byRelationship;
    }

    /** Every stored projection is the pure fold of its statements on the topic, its version their count of changes. */
    public static void assertFoldOfTopic(Map<String, Row> rows, Map<String, List<Statement>> topic, ObjectMapper json)
            throws Exception {
        assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(topic.keySet());
        Map<String, String> mismatches = new HashMap<>();
        for (Map.Entry<String, List<Statement>> entry : topic.entrySet()) {
            String id = entry.getKey();
            Row row = rows.get(id);
            Relationship expected = RelationshipFold.fold(id, entry.getValue());
            long version = RelationshipFold.changes(RelationshipFold.initial(id), entry.getValue());
            Relationship stored = json.readValue(row.state(), Relationship.class);
            if (!stored.equals(expected) || row.version() != version || row.eventCount() != expected.eventCount()
                    || !row.status().equals(expected.status().name())) {
                mismatches.put(id, "stored version " + row.version() + " expected " + version + ", states equal: "
                        + stored.equals(expected));
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
