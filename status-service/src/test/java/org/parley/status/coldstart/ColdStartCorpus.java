package org.parley.status.coldstart;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.parley.status.Corpus;
import org.parley.status.Parley;
import org.parley.status.TestBroker;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.DevServicesContext;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Runs before the application starts: publishes a corpus to a fresh topic, so that the service starts against
 * an empty schema (Flyway cleans it in tests) with the whole topic to catch up with.
 */
public class ColdStartCorpus implements QuarkusTestResourceLifecycleManager, DevServicesContext.ContextAware {
    static final int STATEMENTS = 4_000;
    private Optional<String> devServicesBootstrap = Optional.empty();

    @Override
    public void setIntegrationTestContext(DevServicesContext context) {
        devServicesBootstrap = Optional.ofNullable(context.devServicesProperties().get("kafka.bootstrap.servers"));
    }

    @Override
    public Map<String, String> start() {
        String bootstrap = devServicesBootstrap
                .or(() -> ConfigProvider.getConfig().getOptionalValue("kafka.bootstrap.servers", String.class))
                .orElseThrow(() -> new IllegalStateException("no kafka.bootstrap.servers for the cold-start corpus"));
        String topic = "diplomatic-statements-coldstart-" + UUID.randomUUID();
        List<ObjectNode> corpus = Corpus.generate(List.of("FRA", "DEU", "ITA", "ESP", "POL", "SWE", "NOR", "FIN"),
                STATEMENTS, 11);
        try (KafkaCompanion kafka = TestBroker.companion(bootstrap)) {
            kafka.topics().createAndWait(topic, Parley.PARTITIONS, Duration.ofSeconds(30));
            List<ProducerRecord<String, String>> records = corpus.stream().map(s -> Parley.record(topic, s)).toList();
            kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(60));
        }
        return Map.of("parley.topic", topic, "parley.consumer.group", "status-coldstart-" + UUID.randomUUID());
    }

    @Override
    public void stop() {
        // The topic is left to the broker's clean-up with the other test topics.
    }
}
