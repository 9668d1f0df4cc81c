package org.parley.status.consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.metric;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.parley.status.Management;
import org.parley.status.Parley;
import org.parley.status.TestBroker;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A DLQ that cannot be written stalls the partitions (a rejected record is never dropped) and raises the
 * alarm: a log line, parley_dlq_unavailable and parley_dlq_send_failures, and the consumer's health group
 * DOWN with the reason; once it can be written again, the record goes there and the statements behind it
 * are applied. Partition 1 of its own topic ({@link OwnTopic}).
 */
@QuarkusTest
@TestProfile(OwnTopic.class)
class DeadLetterAlarmTest {

    @Test
    void anUnwritableDlqRaisesTheAlarmAndStallsUntilItCanBeWritten() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        String a = "BRA", b = "ARG";
        ConfigResource dlq = new ConfigResource(ConfigResource.Type.TOPIC, Parley.dlqTopic());
        try (KafkaCompanion kafka = TestBroker.companion(bootstrap);
                Admin admin = TestBroker.admin(bootstrap)) {
            OwnTopic.create(kafka);
            await().atMost(Duration.ofSeconds(60)).until(() -> kafka.topics().list().contains(Parley.dlqTopic()));
            // No record fits any more: every write to the DLQ fails.
            alter(admin, dlq, new AlterConfigOp(new ConfigEntry("max.message.bytes", "16"), AlterConfigOp.OpType.SET));
            try {
                ObjectNode valid = Parley.statement("INVITATION_ISSUED", a, b, Instant.parse("2025-04-01T00:00:00Z"));
                ProducerRecord<String, String> r = Parley.record(valid);
                kafka.produceStrings().fromRecords(new ProducerRecord<>(Parley.topic(), 1, r.key(), "{not json"),
                        new ProducerRecord<>(Parley.topic(), 1, r.key(), r.value(), r.headers()))
                        .awaitCompletion(Duration.ofSeconds(30));

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get(Management.url("/health/group/consumer"))
                        .then().statusCode(503)
                        .body("checks.find { it.name == 'statement-consumer' }.data.dlq", containsString("cannot be written")));
                assertThat(metric("parley_dlq_unavailable")).isEqualTo(1);
                assertThat(metric("parley_dlq_send_failures_total")).isPositive();
                given().get("/relationships/" + a + "/" + b).then().statusCode(404); // stalled behind it, not skipped
                given().get(Management.url("/health/ready")).then().statusCode(200); // reads go on
            } finally {
                alter(admin, dlq, new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE));
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/relationships/" + a + "/" + b)
                    .then().statusCode(200).body("eventCount", equalTo(1)));
            List<ConsumerRecord<String, String>> dead = kafka.consumeStrings().fromTopics(Parley.dlqTopic(), 1)
                    .awaitCompletion(Duration.ofSeconds(30)).getRecords();
            assertThat(dead.get(0).value()).isEqualTo("{not json");
            assertThat(metric("parley_dlq_unavailable")).isZero();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().get(Management.url("/health/group/consumer")).then().statusCode(200));
        }
    }

    private static void alter(Admin admin, ConfigResource resource, AlterConfigOp op) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get(30, TimeUnit.SECONDS);
    }
}
