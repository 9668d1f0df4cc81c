package org.parley.status.consumer;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.parley.support.kafka.BrokerHealth;
import org.parley.support.kafka.KafkaClients;

import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Whether the broker answers, in the consumer's health group only: reads do not depend on it. */
@ApplicationScoped
public class BrokerHealthCheck {
    static final String NAME = "kafka-broker";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @Produces
    @HealthGroup("consumer")
    @Singleton
    BrokerHealth broker(KafkaClients clients) {
        Map<String, Object> admin = clients.admin();
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "status-service-health");
        return new BrokerHealth(NAME, admin, TIMEOUT);
    }

    void close(@Disposes @HealthGroup("consumer") BrokerHealth health) {
        health.close();
    }
}
