package org.parley.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Every parley.* setting of application.properties reaches the one mapping under its documented key. */
class ParleyConfigTest {

    @Test
    void theDefaultsAreApplicationProperties() {
        ParleyConfig config = ParleyConfigs.of(Map.of());

        assertThat(config.topic().name()).isEqualTo("diplomatic-statements");
        assertThat(config.topic().partitions()).isEqualTo(6);
        assertThat(config.topic().replicationFactor()).isEqualTo((short) 1);
        assertThat(config.topic().minInsyncReplicas()).isEmpty();
        assertThat(config.kafka().linger()).isEqualTo(Duration.ofMillis(1));
        assertThat(config.kafka().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.kafka().deliveryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.kafka().maxBlock()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.kafka().batchTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.kafka().transactionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.kafka().transactionalProducers()).isEqualTo(4);
        assertThat(config.kafka().transactionalIdPrefix()).isEqualTo("parley-ingest");
        assertThat(config.kafka().username()).isEmpty();
        assertThat(config.kafka().allowAnonymous()).isFalse();
        assertThat(config.ingest().retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.cloudevents().source()).isEqualTo("/parley/ingest-service");
        assertThat(config.tokenCache().maxAge()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.tokenCache().size()).isEqualTo(10000);
        assertThat(config.allowDevelopmentTokens()).isFalse();
    }

    @Test
    void theTopicNameAndItsSettingsShareTheKeyParleyTopic() {
        ParleyConfig config = ParleyConfigs.of(Map.of("parley.topic", "elsewhere",
                "parley.topic.partitions", "12", "parley.topic.min-insync-replicas", "2"));

        assertThat(config.topic().name()).isEqualTo("elsewhere");
        assertThat(config.topic().partitions()).isEqualTo(12);
        assertThat(config.topic().minInsyncReplicas()).isEqualTo(Optional.of(2));
    }

    /** As in the running service (SRCFG00050 at start-up): a misspelt parley.* key is an error, not ignored. */
    @Test
    void anUnknownParleySettingIsRefused() {
        assertThatThrownBy(() -> ParleyConfigs.of(Map.of("parley.kafka.lingr", "5ms")))
                .hasMessageContaining("parley.kafka.lingr");
    }
}
