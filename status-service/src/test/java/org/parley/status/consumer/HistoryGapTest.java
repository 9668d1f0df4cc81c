package org.parley.status.consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.metric;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.parley.status.Management;
import org.parley.status.Parley;
import org.parley.status.TestBroker;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;

/**
 * Records deleted from the topic before they were stored (retention, DeleteRecords) are never jumped
 * silently: the partition is held, readiness goes DOWN naming it, a metric counts the lost records, and
 * only an operator's acknowledgement lets it go on. Partition 0 of its own topic ({@link OwnTopic}).
 */
@QuarkusTest
@TestProfile(OwnTopic.class)
class HistoryGapTest {
    static final String ADMIN = "Bearer dev-admin-token";

    @Inject
    StatementConsumer consumer;
    @Inject
    DataSource dataSource;

    @Test
    void deletedRecordsHoldThePartitionUntilAnOperatorAcknowledgesThem() throws Exception {
        String topic = Parley.topic();
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        String a = "CAN", b = "MEX";
        try (KafkaCompanion kafka = TestBroker.companion(bootstrap);
                Admin admin = TestBroker.admin(bootstrap)) {
            OwnTopic.create(kafka);
            send(kafka, topic, a, b, 0, 10);
            awaitEventCount(10);
            assertThat(storedOffset(topic)).isEqualTo(10);

            consumer.stop();
            send(kafka, topic, a, b, 10, 10); // offsets 10..19
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(15)))
                    .all().get(30, TimeUnit.SECONDS);
            consumer.start();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(Management.url("/health/ready")).then()
                    .statusCode(503).body("checks.find { it.name == 'statement-history' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'statement-history' }.data.partition-0",
                            containsString("offsets 10 to 14 deleted")));
            assertThat(metric("parley_consumer_history_gap")).isEqualTo(5);
            given().header("Authorization", ADMIN).get("/admin/history-gaps").then().statusCode(200)
                    .body("[0].partition", equalTo(0)).body("[0].from", equalTo(10)).body("[0].to", equalTo(15));
            // Held: nothing past the gap was applied, the stored offset did not jump.
            assertThat(storedOffset(topic)).isEqualTo(10);
            given().get("/relationships/" + a + "/" + b).then().statusCode(200).body("eventCount", equalTo(10));

            given().header("Authorization", ADMIN).post("/admin/history-gaps/acknowledge").then().statusCode(200)
                    .body("[0].to", equalTo(15));
            awaitEventCount(15); // offsets 15..19: the records the log still has
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().get(Management.url("/health/ready")).then().statusCode(200));
            assertThat(storedOffset(topic)).isEqualTo(20);
            assertThat(metric("parley_consumer_history_gap")).isZero();
            given().header("Authorization", ADMIN).post("/admin/history-gaps/acknowledge").then().statusCode(409);
        }
    }

    /** count NO_RESPONSE statements (each counts) on partition 0. */
    private static void send(KafkaCompanion kafka, String topic, String a, String b, int from, int count) {
        Instant t0 = Instant.parse("2025-03-01T00:00:00Z");
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            ProducerRecord<String, String> r = Parley.record(topic, Parley.statement("NO_RESPONSE", b, a, t0.plusSeconds(i)));
            records.add(new ProducerRecord<>(topic, 0, r.key(), r.value(), r.headers()));
        }
        kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(30));
    }

    private static void awaitEventCount(int count) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/relationships/CAN/MEX").then()
                .statusCode(200).body("eventCount", equalTo(count)));
    }

    private long storedOffset(String topic) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT next_offset FROM consumer_offset WHERE topic = ? AND partition = 0")) {
            s.setString(1, topic);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
