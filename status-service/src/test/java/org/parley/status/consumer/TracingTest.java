package org.parley.status.consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.statement;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TopicTest;
import org.parley.support.tracing.CapturedSpans;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The span that applies a record continues the trace named in its traceparent header: same trace id, the
 * publisher's span (ingest's POST span, see ingest-service TracingTest) as parent.
 */
@QuarkusTest
class TracingTest extends TopicTest {

    @Inject
    CapturedSpans spans;

    @Test
    void theSpanThatAppliesARecordContinuesThePostsTrace() {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String postSpanId = "b7ad6b7169203331";
        String a = country(), b = country();
        ObjectNode statement = statement("INVITATION_ISSUED", a, b, Instant.parse("2025-10-24T03:00:00Z"));
        ProducerRecord<String, String> record = Parley.record(statement);
        record.headers().add("traceparent", ("00-" + traceId + "-" + postSpanId + "-01").getBytes(StandardCharsets.UTF_8));
        kafka.produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/relationships/" + a + "/" + b)
                .then().statusCode(200).body("eventCount", equalTo(1)));
        SpanData applied = await().atMost(Duration.ofSeconds(20)).until(() -> spans.all().stream()
                .filter(s -> s.getKind() == SpanKind.CONSUMER && s.getTraceId().equals(traceId))
                .findFirst().orElse(null), span -> span != null);

        assertThat(applied.getParentSpanId()).isEqualTo(postSpanId);
        assertThat(applied.getName()).isEqualTo("process " + Parley.topic());
        assertThat(applied.getAttributes().asMap().toString()).contains(statement.get("eventId").asText());
        assertThat(applied.getStatus().getStatusCode().name()).isNotEqualTo("ERROR");
    }
}
