package org.parley.status.consumer;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.parley.status.Parley;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A topic, DLQ topic and group of their own for the tests that break things on purpose (deleted records,
 * an unwritable DLQ, slow batches): the tests sharing the default topic replay it from offset 0 and read its DLQ from the
 * beginning. Each test here uses a partition of its own.
 */
public class OwnTopic implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        String run = UUID.randomUUID().toString();
        // A short batch timeout, so that BatchTimeoutTest can slow batches past it.
        return Map.of("parley.topic", "diplomatic-statements-alarms-" + run, "parley.consumer.group",
                "status-alarms-" + run, "parley.consumer.batch-timeout", "2s");
    }

    static synchronized void create(KafkaCompanion kafka) {
        if (!kafka.topics().list().contains(Parley.topic())) {
            kafka.topics().createAndWait(Parley.topic(), Parley.PARTITIONS, Duration.ofSeconds(30));
        }
    }
}
