package org.parley.status;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;

/** The service reaches a real broker and a real, migrated PostgreSQL. */
@QuarkusTest
class InfrastructureTest {

    @Inject
    DataSource dataSource;

    @Test
    void flywayMigratedAndARowRoundTrips() throws Exception {
        String topic = "roundtrip-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO consumer_offset (topic, partition, next_offset) VALUES (?, 3, 42)")) {
                insert.setString(1, topic);
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT next_offset FROM consumer_offset WHERE topic = ? AND partition = 3")) {
                select.setString(1, topic);
                try (ResultSet rs = select.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(42L);
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT count(*) FROM flyway_schema_history WHERE success")) {
                rs.next();
                assertThat(rs.getInt(1)).isPositive();
            }
        }
    }

    @Test
    void recordRoundTripsThroughTheConfiguredBroker() {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        String topic = "roundtrip-" + UUID.randomUUID();
        try (KafkaCompanion companion = TestBroker.companion(bootstrap)) {
            companion.produceStrings().fromRecords(new ProducerRecord<>(topic, "k", "v")).awaitCompletion();
            var records = companion.consumeStrings().fromTopics(topic, 1).awaitCompletion(Duration.ofSeconds(30));
            assertThat(records.getFirstRecord().value()).isEqualTo("v");
        }
    }

    @Test
    void readinessIncludesDatabaseAndBroker() {
        given().when().get(Management.url("/health/ready"))
                .then().statusCode(200).body("status", equalTo("UP"));
    }
}
