package org.parley.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.parley.ingest.Statements.TOKEN;
import static org.parley.ingest.Statements.json;
import static org.parley.ingest.Statements.valid;
import static org.parley.ingest.Statements.with;
import static org.parley.ingest.Statements.without;
import static org.parley.ingest.kafka.TopicProbe.header;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnsupportedVersionException;
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

/** POST /events against the real broker: what lands on the topic, where, and how durably. */
@QuarkusTest
class PublishTest {
    private TopicProbe topic;

    @BeforeEach
    void open() {
        topic = TopicProbe.open();
    }

    @AfterEach
    void close() {
        topic.close();
    }

    static JsonPath post(Map<String, Object> event) {
        return given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(json(event))
                .when().post("/events")
                .then().statusCode(202).contentType(ContentType.JSON).extract().jsonPath();
    }

    @Test
    void theAcknowledgedRecordHasTheKeyHeadersAndValueOfTheContract() {
        Map<String, Object> event = new LinkedHashMap<>(valid(StatementType.INVITATION_ISSUED));
        event.put("occurredAt", "2025-10-24T12:00:00+09:00");
        event.put("speaker", "Donald Trump");
        event.put("quote", "I would love to meet him.");
        event.put("sourceUrl", "https://example.org/news/2025-10-24");
        event.put("incentives", List.of("Sanctions relief"));
        Instant before = Instant.now().minusMillis(1);

        JsonPath accepted = post(event);
        Instant after = Instant.now();

        assertThat(accepted.getString("eventId")).isEqualTo(event.get("eventId"));
        assertThat(accepted.getString("relationshipId")).isEqualTo("PRK-USA");
        ConsumerRecord<String, String> record = topic.committedAt(accepted.getInt("partition"), accepted.getLong("offset"));

        assertThat(record.key()).isEqualTo("PRK-USA");
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_id")).isEqualTo(event.get("eventId"));
        assertThat(header(record, "ce_type")).isEqualTo("org.parley.statement.invitation-issued");
        assertThat(header(record, "ce_source")).isEqualTo("/parley/ingest-service");
        assertThat(header(record, "ce_time")).isEqualTo("2025-10-24T03:00:00Z");
        assertThat(header(record, "content-type")).isEqualTo("application/json");

        Map<String, Object> value = Statements.parse(record.value());
        Instant recordedAt = Instant.parse((String) value.remove("recordedAt"));
        assertThat(recordedAt).isBetween(before, after);
        Map<String, Object> expected = new LinkedHashMap<>(event);
        expected.put("occurredAt", "2025-10-24T03:00:00Z"); // normalised to UTC
        assertThat(value).isEqualTo(expected);
        assertThat(ContractSchema.violations(record.value())).isEmpty();
    }

    @Test
    void anEventWithoutIdGetsOneAndItIsOnTheRecord() {
        JsonPath accepted = post(without(valid(StatementType.NO_RESPONSE, "PRK", "USA"), "eventId"));

        String eventId = accepted.getString("eventId");
        assertThat(eventId).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        ConsumerRecord<String, String> record = topic.committedAt(accepted.getInt("partition"), accepted.getLong("offset"));
        assertThat(header(record, "ce_id")).isEqualTo(eventId);
        assertThat(Statements.parse(record.value())).containsEntry("eventId", eventId);
    }

    /** A retry of a body without eventId (after a 503 or a timeout) names the same statement: status-service counts it once. */
    @Test
    void theSameBodyPostedTwiceWithoutEventIdGetsTheSameEventId() {
        Map<String, Object> body = without(valid(StatementType.NO_RESPONSE, "PRK", "USA"), "eventId");
        JsonPath first = post(body);
        JsonPath again = post(body);

        assertThat(again.getString("eventId")).isEqualTo(first.getString("eventId"));
        assertThat(header(topic.committedAt(again.getInt("partition"), again.getLong("offset")), "ce_id"))
                .isEqualTo(first.getString("eventId"));
        // the same words another time are another statement
        assertThat(post(with(body, "occurredAt", "2025-10-24T03:00:01Z")).getString("eventId")).isNotEqualTo(first.getString("eventId"));
    }

    @Test
    void bothDirectionsOfARelationshipShareOneKeyAndPartition() {
        JsonPath there = post(valid(StatementType.INVITATION_ISSUED, "USA", "CHN"));
        JsonPath back = post(valid(StatementType.INVITATION_DECLINED, "CHN", "USA"));

        assertThat(there.getString("relationshipId")).isEqualTo("CHN-USA").isEqualTo(back.getString("relationshipId"));
        assertThat(back.getInt("partition")).isEqualTo(there.getInt("partition"));
        assertThat(back.getLong("offset")).isGreaterThan(there.getLong("offset"));
    }

    @Test
    void rePostingAnEventIdIsAcceptedAndCarriesTheSameId() {
        // Idempotency is by eventId: ingest accepts the retry, consumers drop the duplicate by ce_id/eventId.
        Map<String, Object> event = valid(StatementType.INVITATION_ACCEPTED, "PRK", "USA");
        JsonPath first = post(event);
        JsonPath again = post(event);

        assertThat(again.getString("eventId")).isEqualTo(first.getString("eventId"));
        assertThat(header(topic.committedAt(again.getInt("partition"), again.getLong("offset")), "ce_id")).isEqualTo(event.get("eventId"));
    }

    /**
     * Idempotence is in effect: the broker tracks a producer id for the writer of our record, which it does
     * only for idempotent producers. The Kafka client refuses enable.idempotence=true unless acks=all, so this
     * also shows acks=all is in effect (MinInsyncReplicasTest shows it by behaviour).
     */
    @Test
    void theProducerIsIdempotent() throws Exception {
        JsonPath accepted = post(valid(StatementType.NO_RESPONSE, "FRA", "DEU"));
        TopicPartition partition = new TopicPartition(topic.topic, accepted.getInt("partition"));
        long timestamp = topic.committedAt(partition.partition(), accepted.getLong("offset")).timestamp();

        List<ProducerState> producers;
        try {
            producers = topic.companion.getOrCreateAdminClient().describeProducers(List.of(partition))
                    .partitionResult(partition).get().activeProducers();
        } catch (ExecutionException e) {
            assumeThat(e.getCause()).as("broker supports DescribeProducers").isNotInstanceOf(UnsupportedVersionException.class);
            throw e;
        }
        assertThat(producers).as("active producers on " + partition)
                .anySatisfy(producer -> {
                    assertThat(producer.producerId()).isNotNegative();
                    assertThat(producer.lastTimestamp()).isEqualTo(timestamp);
                    assertThat(producer.currentTransactionStartOffset()).isEmpty();
                });
    }
}
