package org.parley.status.consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.statement;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.parley.status.Management;
import org.parley.status.Parley;
import org.parley.status.TopicTest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;

/** A record that is not JSON or breaks the contract goes to the DLQ; the partition moves on. */
@QuarkusTest
class DeadLetterTest extends TopicTest {

    @Test
    void poisonGoesToTheDlqAndTheNextRecordIsApplied() {
        String a = country(), b = country();
        String key = Parley.relationshipId(a, b);
        Instant t0 = Instant.parse("2025-10-24T03:00:00Z");
        ObjectNode noType = statement("INVITATION_ISSUED", a, b, t0);
        var headers = Parley.record(noType).headers();
        noType.remove("type");
        ObjectNode wrongKey = statement("INVITATION_ISSUED", a, b, t0);
        ObjectNode valid = statement("INVITATION_ISSUED", a, b, t0);
        double before = deadLettered();

        // All in partition 0, poison first: the valid record is behind them.
        ProducerRecord<String, String> garbage = new ProducerRecord<>(Parley.topic(), 0, key, "{not json", null);
        ProducerRecord<String, String> breach = new ProducerRecord<>(Parley.topic(), 0, key, noType.toString(), headers);
        ProducerRecord<String, String> misKeyed = withPartition(Parley.record(wrongKey), "AAA-BBB");
        List<RecordMetadata> sent = kafka.produceStrings()
                .fromRecords(garbage, breach, misKeyed, withPartition(Parley.record(valid), key))
                .awaitCompletion(Duration.ofSeconds(30)).getRecords();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/relationships/" + a + "/" + b)
                .then().statusCode(200).body("eventCount", equalTo(1))
                .body("lastEvent.eventId", equalTo(valid.get("eventId").asText())));

        List<ConsumerRecord<String, String>> dead = kafka.consumeStrings()
                .fromTopics(Parley.dlqTopic(), 3).awaitCompletion(Duration.ofSeconds(30)).getRecords();
        assertThat(dead).extracting(ConsumerRecord::value)
                .containsExactly("{not json", breach.value(), misKeyed.value());
        assertThat(dead).extracting(ConsumerRecord::key).containsExactly(key, key, "AAA-BBB");
        assertThat(header(dead.get(0), "dead-letter-reason")).startsWith("invalid JSON");
        assertThat(header(dead.get(1), "dead-letter-reason")).isEqualTo("contract: type: is required");
        assertThat(header(dead.get(2), "dead-letter-reason")).contains("record key 'AAA-BBB'", key);
        for (int i = 0; i < 3; i++) {
            assertThat(header(dead.get(i), "dead-letter-topic")).isEqualTo(Parley.topic());
            assertThat(header(dead.get(i), "dead-letter-partition")).isEqualTo("0");
            assertThat(header(dead.get(i), "dead-letter-offset")).isEqualTo(Long.toString(sent.get(i).offset()));
        }
        assertThat(header(dead.get(1), "ce_id")).isEqualTo(noType.get("eventId").asText());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deadLettered()).isEqualTo(before + 3));
    }

    private static ProducerRecord<String, String> withPartition(ProducerRecord<String, String> r, String key) {
        return new ProducerRecord<>(r.topic(), 0, key, r.value(), r.headers());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static double deadLettered() {
        return metric("parley_statements_dead_lettered_total");
    }

    /** A counter's value from the Prometheus endpoint (0 before its first increment). */
    public static double metric(String name) {
        String text = given().get(Management.url("/metrics")).then().statusCode(200).extract().asString();
        return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
