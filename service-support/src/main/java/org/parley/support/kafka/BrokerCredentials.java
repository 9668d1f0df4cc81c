package org.parley.support.kafka;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * The service's broker principal, from parley.kafka.username and parley.kafka.password (env PARLEY_KAFKA_USERNAME,
 * PARLEY_KAFKA_PASSWORD), turned into the kafka.* client settings every Kafka client of the service reads (its own
 * producers, consumers and admin clients through {@link KafkaClients}, and the SmallRye channels): SASL with
 * parley.kafka.sasl-mechanism (SCRAM-SHA-512) over parley.kafka.security-protocol (SASL_PLAINTEXT; SASL_SSL where
 * the broker has TLS). Without a username nothing is added, so Dev Services' plaintext broker keeps working; a
 * production start without one is refused by {@link BrokerCredentialsCheck}. Explicit kafka.* settings
 * (env KAFKA_SECURITY_PROTOCOL, ...) still win: this source ranks below the environment.
 */
public class BrokerCredentials implements ConfigSourceFactory {
    public static final String USERNAME = "parley.kafka.username";
    public static final String PASSWORD = "parley.kafka.password";
    static final int ORDINAL = 270; // above application.properties (250), below the environment (300)

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Optional<String> username = value(context, USERNAME);
        if (username.isEmpty()) {
            return Collections.emptyList();
        }
        String password = value(context, PASSWORD).orElse("");
        String mechanism = value(context, "parley.kafka.sasl-mechanism").orElse("SCRAM-SHA-512");
        String protocol = value(context, "parley.kafka.security-protocol").orElse("SASL_PLAINTEXT");
        Map<String, String> settings = Map.of(
                "kafka.security.protocol", protocol,
                "kafka.sasl.mechanism", mechanism,
                "kafka.sasl.jaas.config", jaasConfig(mechanism, username.get(), password));
        return Collections.singletonList(new MapBackedConfigSource("parley broker credentials", settings, ORDINAL) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** The client's JAAS line for this mechanism, the values quoted as JAAS needs. */
    public static String jaasConfig(String mechanism, String username, String password) {
        String module = mechanism.startsWith("SCRAM-") ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                : "org.apache.kafka.common.security.plain.PlainLoginModule";
        return module + " required username=\"" + quote(username) + "\" password=\"" + quote(password) + "\";";
    }

    /** The client settings of one principal (for tests and tools that build clients by hand). */
    public static Map<String, Object> clientSettings(String username, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", jaasConfig("SCRAM-SHA-512", username, password));
    }

    private static String quote(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? Optional.empty()
                : Optional.of(value.getValue());
    }
}
