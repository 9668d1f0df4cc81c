package org.parley.support.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

/**
 * Whether the broker answers, in place of Quarkus' own check, which shows the brokers' hosts and, when down, the
 * exception's text: this one says what is down and no more. Not a bean by itself: each service produces it
 * under its own name and health group (and disposes of it with {@link #close()}).
 */
public class BrokerHealth implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(BrokerHealth.class);

    private final String name;
    private final Map<String, Object> adminConfig;
    private final Duration timeout;
    private Admin admin;

    /** @param adminConfig from {@link KafkaClients#admin()}, with the client id this check's connections carry */
    public BrokerHealth(String name, Map<String, Object> adminConfig, Duration timeout) {
        this.name = name;
        this.adminConfig = new HashMap<>(adminConfig);
        this.timeout = timeout;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(name);
        try {
            int nodes = admin().describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            return response.up().withData("nodes", nodes).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response.down().withData("reason", "interrupted").build();
        } catch (Exception e) {
            LOG.debugf("broker check failed: %s", e);
            return response.down().withData("reason", "no broker answered within " + timeout.toMillis() + " ms").build();
        }
    }

    // One client for the service's life: it reconnects by itself, and probes come every few seconds.
    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(adminConfig);
            int millis = (int) timeout.toMillis();
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
            admin = Admin.create(config);
        }
        return admin;
    }

    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ZERO);
            admin = null;
        }
    }
}
