package org.parley.ingest.kafka;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.Readiness;
import org.parley.ingest.ParleyConfig;
import org.parley.support.kafka.BrokerHealth;
import org.parley.support.kafka.KafkaClients;

/**
 * The broker check is part of readiness here: without a broker no write can be acknowledged. It keeps the name
 * of Quarkus' own check, which it replaces, so that dashboards keep it.
 */
@ApplicationScoped
public class BrokerReadiness {
    static final String NAME = "Kafka connection health check";

    @Produces
    @Readiness
    @Singleton
    BrokerHealth broker(KafkaClients clients, ParleyConfig config) {
        Map<String, Object> admin = clients.admin();
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "parley-ingest-health");
        return new BrokerHealth(NAME, admin, config.kafka().maxBlock());
    }

    void close(@Disposes @Readiness BrokerHealth health) {
        health.close();
    }
}
