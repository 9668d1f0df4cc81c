package org.parley.ingest.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.ingest.Statements.TOKEN;
import static org.parley.ingest.Statements.json;
import static org.parley.ingest.Statements.valid;
import static org.parley.ingest.kafka.TopicProbe.header;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.contract.StatementType;
import org.parley.support.tracing.CapturedSpans;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The production default (sampler ratio 0): a POST records no span, yet its record still carries a trace id,
 * marked unsampled, so status-service records none either; a client's sampled trace is still followed.
 */
@QuarkusTest
@TestProfile(UnsampledTracingTest.ProductionSampling.class)
class UnsampledTracingTest {
    public static class ProductionSampling implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.traces.sampler.arg", "0");
        }
    }

    @Inject
    CapturedSpans spans;

    private TopicProbe topic;

    @BeforeEach
    void open() {
        topic = TopicProbe.open();
    }

    @AfterEach
    void close() {
        topic.close();
    }

    @Test
    void aNewTraceIsPassedOnUnsampledAndNotRecorded() {
        String traceparent = header(post(null), "traceparent");
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
        String traceId = traceparent.substring(3, 35);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> spans.all().stream().noneMatch(s -> s.getTraceId().equals(traceId)));
    }

    @Test
    void aClientsSampledTraceIsStillFollowed() {
        String traceId = "5af7651916cd43dd8448eb211c80319d";
        String traceparent = header(post("00-" + traceId + "-00f067aa0ba902b7-01"), "traceparent");
        assertThat(traceparent).matches("00-" + traceId + "-[0-9a-f]{16}-01");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> spans.all().stream().anyMatch(s -> s.getTraceId().equals(traceId)));
    }

    private ConsumerRecord<String, String> post(String traceparent) {
        var request = given().auth().oauth2(TOKEN).contentType(ContentType.JSON);
        if (traceparent != null) {
            request = request.header("traceparent", traceparent);
        }
        JsonPath accepted = request.body(json(valid(StatementType.INVITATION_ISSUED))).when().post("/events")
                .then().statusCode(202).extract().jsonPath();
        return topic.committedAt(accepted.getInt("partition"), accepted.getLong("offset"));
    }
}
