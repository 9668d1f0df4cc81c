package org.parley.status.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TopicTest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The group's offsets in Kafka (what operators' lag tools read) reach the end of the topic once it goes
 * quiet, although they are sent at most once a second rather than after every batch.
 */
@QuarkusTest
class InformationalCommitsTest extends TopicTest {

    @Test
    void theGroupsOffsetsInKafkaReachTheLastStatementOnceTheTopicGoesQuiet() {
        String a = country(), b = country();
        List<ObjectNode> statements = new ArrayList<>();
        Instant t = Instant.parse("2025-03-01T00:00:00Z");
        for (int i = 0; i < 250; i++) { // several batches (100 records each in tests)
            statements.add(statement(i % 2 == 0 ? "INVITATION_ISSUED" : "NO_RESPONSE", a, b, t.plusSeconds(i)));
        }
        publish(kafka, statements);
        // One key, so one partition: the default partitioner's for that key.
        byte[] key = Parley.relationshipId(a, b).getBytes(StandardCharsets.UTF_8);
        int partition = Utils.toPositive(Utils.murmur2(key)) % Parley.PARTITIONS;
        long end = Parley.endOffsets(kafka).get(partition);
        String group = ConfigProvider.getConfig().getValue("parley.consumer.group", String.class);
        TopicPartition tp = new TopicPartition(Parley.topic(), partition);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            OffsetAndMetadata committed = kafka.consumerGroups().offsets(group, tp);
            assertThat(committed).isNotNull();
            assertThat(committed.offset()).isGreaterThanOrEqualTo(end);
        });
    }
}
