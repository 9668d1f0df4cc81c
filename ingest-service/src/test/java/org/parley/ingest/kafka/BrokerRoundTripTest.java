package org.parley.ingest.kafka;

import org.parley.ingest.TestBroker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.time.Duration;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** The service's configuration reaches a real broker, and readiness says so. */
@QuarkusTest
class BrokerRoundTripTest {
    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void recordRoundTripsThroughTheConfiguredBroker() {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        String topic = "roundtrip-" + UUID.randomUUID();
        String value = "ping-" + UUID.randomUUID();
        try (KafkaCompanion companion = TestBroker.companion(bootstrap)) {
            companion.produceStrings().fromRecords(new ProducerRecord<>(topic, "k", value)).awaitCompletion();
            var records = companion.consumeStrings().fromTopics(topic, 1).awaitCompletion(Duration.ofSeconds(30));
            assertThat(records.getFirstRecord().value()).isEqualTo(value);
        }
    }

    @Test
    void readinessIncludesTheBroker() {
        given().when().get(ready)
                .then().statusCode(200).body("status", equalTo("UP"));
    }
}
