package org.parley.status.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Client settings shared by the consumer, the DLQ producer and the admin client: the application's kafka.*
 * configuration (bootstrap servers, security...), so that Dev Services and operators configure them in one
 * place.
 */
@ApplicationScoped
public class KafkaClients {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    public Map<String, Object> consumer() {
        return common(ConsumerConfig.configNames());
    }

    /**
     * How every reader of the statements topic reads it: only committed transactions (ingest publishes
     * batches in one), positions from the database rather than Kafka's auto-commit (the loop seeks every
     * partition itself: to the stored offset, or the beginning where none is stored), and never creating the
     * topic that ingest-service owns. No reset policy: a position whose records were deleted fails the poll
     * instead of jumping silently to whatever the log still has (the loop then reports the gap).
     */
    public Map<String, Object> statementsConsumer(String clientId, int maxPollRecords) {
        Map<String, Object> config = consumer();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return config;
    }

    public Map<String, Object> producer() {
        return common(ProducerConfig.configNames());
    }

    public Map<String, Object> admin() {
        return common(AdminClientConfig.configNames());
    }

    private Map<String, Object> common(Set<String> known) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (known.contains(key)) {
                config.put(key, value);
            }
        });
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }
}
