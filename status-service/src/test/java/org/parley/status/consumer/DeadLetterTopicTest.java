package org.parley.status.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.parley.status.Parley;

import io.quarkus.test.junit.QuarkusTest;

/** Rejected records stay on the DLQ until an operator deals with them: the broker must never expire them. */
@QuarkusTest
class DeadLetterTopicTest {

    @Test
    void theDeadLetterTopicIsCreatedWithUnlimitedRetention() {
        var kafka = Parley.companion();
        try {
            ConfigResource dlq = new ConfigResource(ConfigResource.Type.TOPIC, Parley.dlqTopic());
            Config config = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> kafka.getOrCreateAdminClient().describeConfigs(List.of(dlq)).all().get().get(dlq),
                            c -> c != null);
            assertThat(config.get("retention.ms").value()).isEqualTo("-1");
            assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        } finally {
            kafka.close();
        }
    }
}
