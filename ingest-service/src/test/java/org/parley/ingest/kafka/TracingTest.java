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
import org.parley.ingest.Statements;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The POST's trace travels in the Kafka record: its traceparent header names the POST's server span (same
 * trace id, that span as parent), which is what status-service continues (see status-service TracingTest).
 */
@QuarkusTest
class TracingTest {
    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

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
    void theRecordCarriesThePostsTraceContext() {
        Map<String, Object> event = valid(StatementType.INVITATION_ISSUED);
        JsonPath accepted = given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(json(event))
                .when().post("/events").then().statusCode(202).extract().jsonPath();
        ConsumerRecord<String, String> record = topic.committedAt(accepted.getInt("partition"), accepted.getLong("offset"));

        SpanData post = awaitServerSpan(record);
        assertThat(post.getAttributes().asMap().toString()).contains("/events");
        assertThat(header(record, "traceparent"))
                .isEqualTo("00-" + post.getTraceId() + "-" + post.getSpanId() + "-01");
    }

    @Test
    void aClientsTraceContinuesThroughThePostIntoTheRecord() {
        String parent = "00f067aa0ba902b7";
        JsonPath accepted = given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .header("traceparent", "00-" + CLIENT_TRACE + "-" + parent + "-01")
                .body(json(Statements.many(2))).when().post("/events/batch")
                .then().statusCode(202).extract().jsonPath();
        for (int i = 0; i < 2; i++) {
            ConsumerRecord<String, String> record = topic.committedAt(accepted.getInt("[" + i + "].partition"),
                    accepted.getLong("[" + i + "].offset"));
            SpanData post = awaitServerSpan(record);
            assertThat(post.getTraceId()).isEqualTo(CLIENT_TRACE);
            assertThat(post.getParentSpanId()).isEqualTo(parent);
        }
    }

    /** The server span that the record's traceparent names. */
    private SpanData awaitServerSpan(ConsumerRecord<String, String> record) {
        String traceparent = header(record, "traceparent");
        assertThat(traceparent).as("traceparent header").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        String traceId = traceparent.substring(3, 35);
        String spanId = traceparent.substring(36, 52);
        return await().atMost(Duration.ofSeconds(20)).until(() -> spans.all().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER && s.getTraceId().equals(traceId)
                        && s.getSpanId().equals(spanId))
                .findFirst().orElse(null), span -> span != null);
    }
}
