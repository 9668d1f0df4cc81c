package org.parley.status.consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TestBroker;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;

/**
 * With static membership an instance that went away without leaving its group (a crash, a kill -9) takes its
 * partitions back as soon as it is started again, instead of after the session timeout (60 s here).
 */
@QuarkusTest
@TestProfile(StaticMembershipTest.Profile.class)
class StaticMembershipTest {
    static final String INSTANCE = "status-static-" + UUID.randomUUID();

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String run = UUID.randomUUID().toString();
            return Map.of("parley.topic", "diplomatic-statements-static-" + run, "parley.consumer.group",
                    "status-static-" + run, "parley.consumer.instance-id", INSTANCE,
                    "parley.consumer.session-timeout", "60s");
        }
    }

    @Inject
    StatementConsumer consumer;

    @Test
    void aRestartedInstanceResumesWithinSecondsWithoutWaitingOutTheSession() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        String group = ConfigProvider.getConfig().getValue("parley.consumer.group", String.class);
        try (KafkaCompanion kafka = TestBroker.companion(bootstrap);
                Admin admin = TestBroker.admin(bootstrap)) {
            if (!kafka.topics().list().contains(Parley.topic())) {
                kafka.topics().createAndWait(Parley.topic(), Parley.PARTITIONS, Duration.ofSeconds(30));
            }
            Instant t0 = Instant.parse("2025-05-01T00:00:00Z");
            Parley.publish(kafka, Parley.statement("NO_RESPONSE", "AUS", "NZL", t0));
            awaitEventCount(1, Duration.ofSeconds(60));

            consumer.stop();
            // A static member does not leave its group when it goes: as after a crash, it still owns its partitions.
            List<MemberDescription> members = admin.describeConsumerGroups(List.of(group)).all()
                    .get(30, TimeUnit.SECONDS).get(group).members().stream().toList();
            assertThat(members).extracting(m -> m.groupInstanceId().orElse(null)).containsExactly(INSTANCE);

            Parley.publish(kafka, Parley.statement("NO_RESPONSE", "AUS", "NZL", t0.plusSeconds(1)));
            consumer.start();
            awaitEventCount(2, Duration.ofSeconds(15)); // well inside the 60 s session timeout
        }
    }

    private static void awaitEventCount(int count, Duration within) {
        await().atMost(within).untilAsserted(() -> given().get("/relationships/AUS/NZL").then().statusCode(200)
                .body("eventCount", equalTo(count)));
    }
}
