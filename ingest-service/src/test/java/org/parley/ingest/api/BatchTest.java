package org.parley.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.ingest.Statements.TOKEN;
import static org.parley.ingest.Statements.json;
import static org.parley.ingest.Statements.valid;
import static org.parley.ingest.Statements.with;
import static org.parley.ingest.Statements.without;
import static org.parley.ingest.kafka.TopicProbe.header;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.contract.ContractSchema;
import org.parley.contract.StatementType;
import org.parley.ingest.Statements;
import org.parley.ingest.kafka.TopicProbe;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** POST /events/batch: all or nothing, in one Kafka transaction. */
@QuarkusTest
class BatchTest {
    private TopicProbe topic;

    @BeforeEach
    void open() {
        topic = TopicProbe.open();
    }

    @AfterEach
    void close() {
        topic.close();
    }

    static ValidatableResponse postBatch(String body) {
        return given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(body).when().post("/events/batch").then();
    }

    @Test
    void aValidBatchIsCommittedAsOneTransaction() {
        List<Map<String, Object>> events = List.of(
                valid(StatementType.INVITATION_ISSUED, "USA", "PRK"),
                valid(StatementType.CONDITIONS_REITERATED, "PRK", "USA"),
                valid(StatementType.INVITATION_ISSUED, "FRA", "DEU"),
                valid(StatementType.MEETING_SCHEDULED, "DEU", "FRA"),
                valid(StatementType.INCENTIVE_OFFERED, "CHN", "RUS"));

        JsonPath accepted = postBatch(json(events)).statusCode(202).contentType(ContentType.JSON).extract().jsonPath();

        List<Map<String, Object>> results = accepted.getList("$");
        assertThat(results).extracting(r -> r.get("eventId")).containsExactlyElementsOf(events.stream().map(e -> e.get("eventId")).toList());
        assertThat(results).extracting(r -> r.get("relationshipId")).containsExactly("PRK-USA", "PRK-USA", "DEU-FRA", "DEU-FRA", "CHN-RUS");
        Map<Integer, List<Long>> offsetsByPartition = new TreeMap<>();
        for (int i = 0; i < events.size(); i++) {
            int partition = (Integer) results.get(i).get("partition");
            long offset = ((Number) results.get(i).get("offset")).longValue();
            offsetsByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(offset);
            // Visible to a read_committed consumer: the transaction committed.
            ConsumerRecord<String, String> record = topic.committedAt(partition, offset);
            assertThat(header(record, "ce_id")).isEqualTo(events.get(i).get("eventId"));
            assertThat(record.key()).isEqualTo(results.get(i).get("relationshipId"));
            assertThat(ContractSchema.violations(record.value())).isEmpty();
        }
        // One transaction: in each partition the records are contiguous and followed by exactly one commit marker.
        offsetsByPartition.forEach((partition, offsets) -> {
            long first = offsets.get(0);
            assertThat(offsets).containsExactly(java.util.stream.LongStream.range(first, first + offsets.size()).boxed().toArray(Long[]::new));
            assertThat(topic.endOffset(partition)).as("end of partition %d", partition).isEqualTo(first + offsets.size() + 1);
        });
    }

    @Test
    void oneInvalidItemRejectsTheWholeBatchNamingEachBadIndex() {
        List<Object> events = List.of(
                valid(StatementType.NO_RESPONSE, "PRK", "USA"),
                with(valid(StatementType.NO_RESPONSE), "source", "XXX"),
                valid(StatementType.INVITATION_ISSUED, "USA", "PRK"),
                without(with(valid(StatementType.NO_RESPONSE), "type", "UNKNOWN"), "occurredAt"),
                "not an event");
        long before = topic.size();

        postBatch(json(events)).statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("[1].source", "[3].type", "[3].occurredAt", "[4]"));

        PublishTest.post(valid(StatementType.NO_RESPONSE, "PRK", "USA"));
        assertThat(topic.size()).as("only the marker was written").isEqualTo(before + 1);
    }

    @Test
    void aBatchHoldsOneToAThousandEvents() {
        JsonPath accepted = postBatch(json(Statements.many(1000))).statusCode(202).extract().jsonPath();
        assertThat(accepted.getList("$")).hasSize(1000);

        long before = topic.size();
        // Reading stops at item 1,001: 413 (it was a 400 when the whole array was read first).
        postBatch(json(Statements.many(1001))).statusCode(413).contentType("application/problem+json")
                .body("errors[0].message", containsString("1 to 1000"));
        postBatch("[]").statusCode(400).body("errors[0].message", containsString("1 to 1000"));
        postBatch(json(valid(StatementType.NO_RESPONSE))).statusCode(400).body("errors[0].message", equalTo("expected a JSON array of events"));
        assertThat(topic.size()).isEqualTo(before);
    }

    @Test
    void aBatchOfAlmostFourMiBFitsTheTransactionalProducersBuffer() {
        // The largest batch a client may send: 1,000 statements, 2,000-character summaries and quotes padded to
        // just under the 4 MiB body limit; the transactional producers' buffer (8 MiB) takes it in one transaction.
        List<Map<String, Object>> events = new ArrayList<>();
        for (Map<String, Object> event : Statements.many(1000)) {
            events.add(with(with(event, "summary", "s".repeat(2000)), "quote", "q".repeat(2000)));
        }
        int excess = json(events).length() - (4 * 1024 * 1024 - 1024);
        int quote = 2000 - Math.max(0, (excess + 999) / 1000);
        events.replaceAll(event -> with(event, "quote", "q".repeat(quote)));
        String body = json(events);
        assertThat(body.length()).isBetween(4 * 1024 * 1024 - 64 * 1024, 4 * 1024 * 1024);

        JsonPath accepted = postBatch(body).statusCode(202).extract().jsonPath();

        List<Map<String, Object>> results = accepted.getList("$");
        assertThat(results).hasSize(1000);
        Map<String, Object> last = results.get(999);
        ConsumerRecord<String, String> record = topic.committedAt((Integer) last.get("partition"), ((Number) last.get("offset")).longValue());
        assertThat(header(record, "ce_id")).isEqualTo(events.get(999).get("eventId"));
    }
}
