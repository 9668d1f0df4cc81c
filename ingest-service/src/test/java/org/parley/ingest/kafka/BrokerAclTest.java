package org.parley.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.ingest.TestBroker;

/**
 * The broker, not ingest, is what stops a record written around ingest: on bin/test's broker (SASL SCRAM-SHA-512,
 * StandardAuthorizer, bin/lib/KafkaAcls.java) only ingest's principal may write a statements topic. Skipped on
 * Dev Services' plaintext broker, which has no users.
 */
class BrokerAclTest {
    private static final String TOPIC = "diplomatic-statements-acl-" + UUID.randomUUID();
    private static String bootstrap;

    @BeforeAll
    static void topic() throws Exception {
        bootstrap = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        assumeTrue(bootstrap != null && !TestBroker.fixture().isEmpty(), "no broker with authentication (bin/test's own)");
        try (Admin admin = TestBroker.admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void dropTopic() throws Exception {
        if (bootstrap != null && !TestBroker.fixture().isEmpty()) {
            try (Admin admin = TestBroker.admin(bootstrap)) {
                admin.deleteTopics(List.of(TOPIC)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void ingestsPrincipalWritesTheStatementsTopic() throws Exception {
        RecordMetadata written = send(TestBroker.settings("INGEST")).get(30, TimeUnit.SECONDS);
        assertThat(written.offset()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void statusServicesPrincipalIsRefused() {
        assertThatThrownBy(() -> send(TestBroker.settings("STATUS")).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TopicAuthorizationException.class)
                .hasMessageContaining("Not authorized to access topics: [" + TOPIC + "]");
    }

    @Test
    void aClientWithoutCredentialsIsRefused() {
        // The broker port speaks SASL only: a plaintext client is disconnected before any request, so it never
        // learns the topic's metadata and its send gives up after max.block.ms.
        assertThatThrownBy(() -> send(Map.of()).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TimeoutException.class)
                .hasMessageContaining("not present in metadata after 5000 ms");
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, Object> forged = new HashMap<>(TestBroker.settings("INGEST"));
        forged.put("sasl.jaas.config", org.parley.support.kafka.BrokerCredentials.jaasConfig("SCRAM-SHA-512",
                System.getenv("PARLEY_TEST_INGEST_KAFKA_USERNAME"), "not-the-password-of-ingest"));
        assertThatThrownBy(() -> send(forged).get(30, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class)
                .rootCause().hasMessageContaining("invalid credentials with SASL mechanism SCRAM-SHA-512");
    }

    private static java.util.concurrent.Future<RecordMetadata> send(Map<String, Object> principal) {
        Map<String, Object> config = new HashMap<>(principal);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            var sent = producer.send(new ProducerRecord<>(TOPIC, "KOR-PRK", "{\"forged\":true}"));
            producer.flush();
            return sent;
        }
    }
}
