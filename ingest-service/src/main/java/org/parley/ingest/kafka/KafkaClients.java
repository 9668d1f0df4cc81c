package org.parley.ingest.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** Client settings shared by the producers and the admin client. */
final class KafkaClients {
    private KafkaClients() {
    }

    /**
     * Everything under {@code kafka.} in the Quarkus configuration (security settings where a deployment
     * needs them), as Quarkus' kafka-client extension collects it, with the resolved bootstrap servers:
     * that collection reads environment variables by their own names too, so KAFKA_BOOTSTRAP_SERVERS could
     * shadow a higher-priority kafka.bootstrap.servers (a test profile's, say).
     */
    static Map<String, Object> common(Map<String, Object> defaultKafkaBroker, String bootstrapServers) {
        Map<String, Object> config = new HashMap<>(defaultKafkaBroker);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG); // Quarkus adds one for consumers; we only produce
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }
}
