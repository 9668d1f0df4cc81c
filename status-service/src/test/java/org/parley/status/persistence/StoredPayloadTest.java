package org.parley.status.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.statement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.parley.contract.Statement;
import org.parley.status.Parley;
import org.parley.status.Projections;
import org.parley.status.TopicTest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Statements reach the statement table through COPY's text format ({@link StatementCopy}): what COPY treats
 * specially (backslashes, tabs, newlines, carriage returns) must arrive as published, inside strings and in
 * the JSON whitespace another producer may send, and a record published twice is still stored once.
 */
@QuarkusTest
class StoredPayloadTest extends TopicTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    @Test
    void everyCharacterCopyEscapesArrivesAsPublished() throws Exception {
        String a = country(), b = country();
        String id = Parley.relationshipId(a, b);
        Instant t = Instant.parse("2025-02-03T04:05:06.123456789Z");
        ObjectNode first = statement("INVITATION_ISSUED", a, b, t);
        first.put("summary", "Tab\there, back\\slash \\N, \"quoted\", new\nline, CR\r, é and 🕊");
        first.put("speaker", "A \\\\ spokesperson");
        ObjectNode second = statement("NO_RESPONSE", b, a, t.plusSeconds(60));
        second.put("summary", "\\.");

        List<ProducerRecord<String, String>> records = new ArrayList<>();
        // Pretty-printed with CRLF and tabs between the tokens: valid JSON, and every byte COPY escapes.
        records.add(withValue(Parley.record(first), first.toPrettyString().replace("\n", "\r\n\t")));
        records.add(Parley.record(second));
        records.add(Parley.record(second)); // the same eventId again: stored once
        // Same key, so same partition, after the copy: once it is stored, the copy has been consumed too.
        records.add(Parley.record(statement("NO_RESPONSE", b, a, t.plusSeconds(120))));
        kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(30)).until(() -> Projections.storedStatements(dataSource, id).size() == 3);
        assertThat(JSON.readTree(payload(first))).isEqualTo(first);
        assertThat(JSON.readTree(payload(second))).isEqualTo(second);
        Statement stored = Projections.storedStatements(dataSource, id).stream()
                .filter(s -> s.eventId().toString().equals(first.get("eventId").asText())).findFirst().orElseThrow();
        assertThat(stored.summary()).isEqualTo(first.get("summary").asText());
        assertThat(stored.speaker()).isEqualTo("A \\\\ spokesperson");
        assertThat(stored.occurredAt()).isEqualTo(t);
        assertThat(Projections.snapshot(dataSource).get(id).eventCount()).isEqualTo(3);
    }

    private static ProducerRecord<String, String> withValue(ProducerRecord<String, String> record, String value) {
        return new ProducerRecord<>(record.topic(), null, record.key(), value, record.headers());
    }

    private String payload(ObjectNode statement) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT payload::text FROM statement WHERE event_id = ?")) {
            select.setObject(1, UUID.fromString(statement.get("eventId").asText()));
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
