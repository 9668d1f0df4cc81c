package org.parley.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.ingest.ParleyConfig;
import org.parley.ingest.ParleyConfigs;
import org.parley.ingest.Statements;
import org.parley.contract.StatementType;
import org.parley.contract.AuthContext;
import org.parley.contract.Statement;
import org.parley.support.kafka.KafkaClients;

import io.opentelemetry.api.OpenTelemetry;

/**
 * The publisher on its own, against a port where no broker listens, with the topic taken as ready: the
 * producers' own timeouts must turn into PublishFailedException (the 503) within seconds.
 */
class StatementPublisherTest {
    private StatementPublisher publisher;

    @BeforeEach
    void start() {
        StatementTopic topic = new StatementTopic() {
            @Override
            public boolean awaitReady(Duration wait) {
                return true;
            }
        };
        ParleyConfig config = ParleyConfigs.of(Map.of("parley.topic", "unreachable",
                "parley.kafka.linger", "5ms",
                "parley.kafka.request-timeout", "500ms",
                "parley.kafka.delivery-timeout", "1s",
                "parley.kafka.max-block", "1s",
                "parley.kafka.transaction-timeout", "10s",
                "parley.kafka.transactional-producers", "1",
                "parley.kafka.transactional-id-prefix", "test",
                "parley.kafka.batch-timeout", "3s",
                "parley.cloudevents.source", "/test"));
        topic.config = config;
        publisher = new StatementPublisher();
        publisher.clients = KafkaClients.of(Map.of(), "127.0.0.1:1");
        publisher.topic = topic;
        publisher.openTelemetry = OpenTelemetry.noop(); // no trace context: the records get no traceparent
        publisher.config = config;
        publisher.start();
    }

    @AfterEach
    void stop() {
        publisher.stop();
    }

    private static final AuthContext POSTER = new AuthContext(AuthContext.APP_USER, "test-wire", List.of("post"));

    private static Statement event() {
        return new Statements.Validator(java.time.Instant.now()).validate(Statements.valid(StatementType.NO_RESPONSE)).statement();
    }

    @Test
    void anUnacknowledgedEventFailsWithinTheConfiguredTimeouts() {
        CompletableFuture<StatementPublisher.Ack> ack = publisher.publish(event(), POSTER).toCompletableFuture();

        assertThatThrownBy(() -> ack.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(PublishFailedException.class);
    }

    @Test
    void anUncommittedBatchFailsAndFreesItsProducer() {
        for (int attempt = 0; attempt < 2; attempt++) { // the single pooled producer is usable again
            long start = System.nanoTime();
            assertThatThrownBy(() -> publisher.publishAll(List.of(event(), event()), POSTER).toCompletableFuture().join())
                    .hasCauseInstanceOf(PublishFailedException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    /** Why a broker-side producer id (PublishTest) also shows acks=all: the client allows no other combination. */
    @Test
    void theKafkaClientRefusesIdempotenceWithoutAcksAll() {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "1");
        assertThatThrownBy(() -> new KafkaProducer<>(config, new StringSerializer(), new StringSerializer()).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("acks");
    }
}
