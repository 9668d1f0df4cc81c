package org.parley.status.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import io.smallrye.health.api.HealthGroup;
import org.jboss.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Whether the broker answers, in the consumer's health group (reads do not depend on it). In place of Quarkus'
 * own check, which shows the brokers' hosts and the exception's text: this one says what is down and no more.
 */
@HealthGroup("consumer")
@ApplicationScoped
public class BrokerHealth implements HealthCheck {
    static final String NAME = "kafka-broker";
    private static final Logger LOG = Logger.getLogger(BrokerHealth.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @Inject
    KafkaClients clients;

    private Admin admin;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME);
        try {
            int nodes = admin().describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            return response.up().withData("nodes", nodes).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("reason", "interrupted").build();
        } catch (Exception e) {
            LOG.debugf("broker check failed: %s", e);
            return response.down().withData("reason", "no broker answered within " + TIMEOUT.toMillis() + " ms").build();
        }
    }

    // One client for the service's life: it reconnects by itself, and probes come every few seconds.
    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = clients.admin();
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "status-service-health");
            admin = Admin.create(config);
        }
        return admin;
    }

    @PreDestroy
    synchronized void stop() {
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
    }
}
