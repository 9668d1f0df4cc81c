package org.parley.support.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.common.annotation.Identifier;

/**
 * Settings for the Kafka clients a service creates itself (producers, consumers, admin clients): the
 * application's kafka.* configuration (security settings where a deployment needs them), so that Dev Services
 * and operators configure every client in one place. Each kind gets only the keys it knows, so Quarkus'
 * consumer group.id never reaches a producer and no client warns about unknown settings. The bootstrap servers
 * are the resolved kafka.bootstrap.servers: Quarkus' collection reads environment variables by their own names
 * too, so KAFKA_BOOTSTRAP_SERVERS could otherwise shadow a higher-priority one (a test profile's, say).
 */
@ApplicationScoped
public class KafkaClients {

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Outside CDI (a unit test of a client's owner): these kafka.* settings and bootstrap servers. */
    public static KafkaClients of(Map<String, Object> kafka, String bootstrapServers) {
        KafkaClients clients = new KafkaClients();
        clients.kafka = Map.copyOf(kafka);
        clients.bootstrapServers = bootstrapServers;
        return clients;
    }

    public Map<String, Object> consumer() {
        return common(ConsumerConfig.configNames());
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
