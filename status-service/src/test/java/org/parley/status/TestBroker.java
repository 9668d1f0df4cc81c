package org.parley.status;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.parley.support.kafka.BrokerCredentials;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Kafka clients for test fixtures (topics made by hand, records written around the services, configs altered):
 * they act as the broker's admin user where bin/test runs its own broker with authentication
 * (PARLEY_TEST_ADMIN_KAFKA_USERNAME / _PASSWORD), as nobody on Dev Services' plaintext broker. The services
 * under test use their own principals (%test.parley.kafka.* in application.properties).
 */
public final class TestBroker {
    private TestBroker() {
    }

    /** SASL settings of a principal from PARLEY_TEST_{WHO}_KAFKA_USERNAME / _PASSWORD; empty when unset. */
    public static Map<String, Object> settings(String who) {
        String username = System.getenv("PARLEY_TEST_" + who + "_KAFKA_USERNAME");
        String password = System.getenv("PARLEY_TEST_" + who + "_KAFKA_PASSWORD");
        return username == null || username.isBlank() ? Map.of() : BrokerCredentials.clientSettings(username, password);
    }

    /** The fixtures' (admin) client settings. */
    public static Map<String, Object> fixture() {
        return settings("ADMIN");
    }

    public static KafkaCompanion companion(String bootstrap) {
        KafkaCompanion companion = new KafkaCompanion(bootstrap);
        companion.setCommonClientConfig(new HashMap<>(fixture()));
        return companion;
    }

    public static Admin admin(String bootstrap) {
        Map<String, Object> config = new HashMap<>(fixture());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(config);
    }
}
