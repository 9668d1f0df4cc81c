package org.parley.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

class BrokerCredentialsTest {

    @Test
    void aUsernameTurnsIntoTheClientsSaslSettings() {
        Config config = config(Map.of("parley.kafka.username", "ingest-service", "parley.kafka.password", "pa\"ss-word-long-enough"));
        assertThat(config.getValue("kafka.security.protocol", String.class)).isEqualTo("SASL_PLAINTEXT");
        assertThat(config.getValue("kafka.sasl.mechanism", String.class)).isEqualTo("SCRAM-SHA-512");
        assertThat(config.getValue("kafka.sasl.jaas.config", String.class)).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ingest-service\" "
                        + "password=\"pa\\\"ss-word-long-enough\";");
    }

    @Test
    void withoutAUsernameNothingChanges() {
        Config config = config(Map.of());
        assertThat(config.getOptionalValue("kafka.security.protocol", String.class)).isEmpty();
        assertThat(config.getOptionalValue("kafka.sasl.jaas.config", String.class)).isEmpty();
    }

    @Test
    void productionRefusesABrokerWithoutCredentials() {
        assertThat(BrokerCredentialsCheck.refusal(config(Map.of())))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("No broker credentials: set PARLEY_KAFKA_USERNAME"));
        assertThat(BrokerCredentialsCheck.refusal(config(Map.of("parley.kafka.allow-anonymous", "true")))).isEmpty();
        // Settings made by hand (mutual TLS, say) are the operator's.
        assertThat(BrokerCredentialsCheck.refusal(config(Map.of("kafka.security.protocol", "SSL")))).isEmpty();
    }

    @Test
    void productionRefusesAPlaceholderOrShortPassword() {
        assertThat(BrokerCredentialsCheck.refusal(config(Map.of("parley.kafka.username", "status-service",
                "parley.kafka.password", "replace-with-the-kafka-password"))))
                .hasValueSatisfying(reason -> assertThat(reason).isEqualTo(
                        "PARLEY_KAFKA_PASSWORD is a placeholder (\"replace-with-the-kafka-password\"): set the real secret"));
        assertThat(BrokerCredentialsCheck.refusal(config(Map.of("parley.kafka.username", "status-service",
                "parley.kafka.password", "kafka123"))))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("PARLEY_KAFKA_PASSWORD is too short (8 characters"));
        assertThat(BrokerCredentialsCheck.refusal(config(Map.of("parley.kafka.username", "status-service",
                "parley.kafka.password", "Zq3v9LmX2pR7tW4yN8bK")))).isEmpty();
        // A development setup says so (bin/up, bin/bench, bin/chaos).
        assertThat(BrokerCredentialsCheck.refusal(config(Map.of("parley.kafka.username", "status-service",
                "parley.kafka.password", "kafka123", "parley.allow-development-tokens", "true")))).isEmpty();
    }

    private static Config config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 250))
                .withSources(new BrokerCredentials()).build();
    }
}
