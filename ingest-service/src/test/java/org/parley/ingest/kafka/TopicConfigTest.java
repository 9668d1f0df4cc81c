package org.parley.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The statements topic is the source of truth: the broker must never expire it, whatever its default. */
@QuarkusTest
class TopicConfigTest {

    @Test
    void theTopicIsCreatedWithUnlimitedRetention() throws Exception {
        try (TopicProbe topic = TopicProbe.open()) {
            topic.partitions(); // waits for nothing, but fails if the topic does not exist
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.topic);
            Config config = topic.companion.getOrCreateAdminClient().describeConfigs(List.of(resource)).all().get()
                    .get(resource);
            assertThat(config.get("retention.ms").value()).isEqualTo("-1");
            assertThat(config.get("retention.ms").source()).isEqualTo(
                    org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        }
    }
}
