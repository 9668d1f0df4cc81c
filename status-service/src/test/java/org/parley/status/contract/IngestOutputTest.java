package org.parley.status.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.parley.contract.Statement;
import org.parley.contract.StatementJson;
import org.parley.contract.StatementRules;
import org.parley.status.Parley;
import org.parley.status.TopicTest;

import io.quarkus.test.junit.QuarkusTest;

/**
 * What ingest-service publishes, against the real broker and database: each body of issue 10 is either refused
 * by the contract (ingest's 400) or, published as ingest publishes it, appears in its relationship's projection;
 * the DLQ receives nothing; the same body posted twice without eventId counts once.
 */
@QuarkusTest
class IngestOutputTest extends TopicTest {

    /** Issue 10's bodies and their near misses; %s is the first (source) and second (target) code. */
    private static final List<String> BODIES = List.of(
            "{\"type\":\"CONDITIONS_REITERATED\",\"source\":\"%s\",\"target\":\"%s\",\"occurredAt\":\"2025-10-24T03:00:00Z\",\"conditions\":[\"\\u00a0\"]}",
            "{\"type\":\"CONDITIONS_REITERATED\",\"source\":\"%s\",\"target\":\"%s\",\"occurredAt\":\"2025-10-24T03:00:00Z\",\"conditions\":[\"\\u00a0Talks\"]}",
            "{\"type\":\"NO_RESPONSE\",\"source\":\"%s\",\"target\":\"%s\",\"occurredAt\":\"2025-10-24T03:00:00Z\",\"summary\":\"a\\u0000b\"}",
            "{\"type\":\"NO_RESPONSE\",\"source\":\"%s\",\"target\":\"%s\",\"occurredAt\":\"2025-10-24T03:00:00Z\",\"summary\":\"a\\ud800b\"}",
            "{\"type\":\"NO_RESPONSE\",\"source\":\"%s\",\"target\":\"%s\",\"occurredAt\":\"2025-10-24T03:00:00Z\",\"summary\":\"tab\\t\\ud83d\\ude00\"}",
            "{\"type\":\"NO_RESPONSE\",\"source\":\"%s\",\"target\":\"%s\",\"occurredAt\":\"0000-06-01T00:00:00Z\"}",
            "{\"type\":\"NO_RESPONSE\",\"source\":\"%s\",\"target\":\"%s\",\"occurredAt\":\"0001-01-01T00:30:00+01:00\"}",
            "{\"type\":\"NO_RESPONSE\",\"source\":\"%s\",\"target\":\"%s\",\"occurredAt\":\"0001-01-01T00:00:00Z\"}",
            "{\"type\":\"MEETING_SCHEDULED\",\"source\":\"%s\",\"target\":\"%s\",\"occurredAt\":\"2025-10-24T03:00:00Z\",\"meetingAt\":\"9999-12-31T23:59:59-01:00\"}",
            "{\"type\":\"MEETING_SCHEDULED\",\"source\":\"%s\",\"target\":\"%s\",\"occurredAt\":\"2025-10-24T03:00:00Z\",\"meetingAt\":\"9999-12-31T23:59:59.999999999Z\"}",
            "{\"type\":\"NO_RESPONSE\",\"source\":\"%s\",\"target\":\"%s\",\"occurredAt\":\"2025-10-24T03:00:00Z\",\"sourceUrl\":\"https://example.org/a\\ufeff\"}",
            "{\"type\":\"MEETING_HELD\",\"source\":\"%s\",\"target\":\"%s\",\"occurredAt\":\"2025-10-24T03:00:00Z\",\"location\":\" \"}");

    @Test
    void everyBodyIsRefusedOrFoldedAndNothingIsDeadLettered() throws Exception {
        double deadBefore = Parley.metric("parley_statements_dead_lettered_total");
        List<Statement> published = new ArrayList<>();
        int refused = 0;
        for (String template : BODIES) {
            String body = template.formatted(Parley.country(), Parley.country());
            StatementRules.Result verdict = StatementRules.request(StatementJson.read(body.getBytes(StandardCharsets.UTF_8)), Instant.now());
            if (!verdict.valid()) {
                assertThat(verdict.errors()).as(body).singleElement().satisfies(e -> assertThat(e.field()).isNotNull());
                refused++;
                continue;
            }
            Statement statement = verdict.statement().withRecordedAt(Instant.now());
            Parley.publish(kafka, statement);
            published.add(statement);
        }
        assertThat(refused).isEqualTo(8);
        for (Statement statement : published) {
            List<String> parties = List.of(statement.source(), statement.target());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/relationships/" + parties.get(0) + "/" + parties.get(1))
                    .then().statusCode(200).body("eventCount", equalTo(1))
                    .body("lastEvent.eventId", equalTo(statement.eventId().toString())));
        }
        assertThat(Parley.metric("parley_statements_dead_lettered_total")).isEqualTo(deadBefore);
    }

    @Test
    void theSameBodyTwiceWithoutEventIdCountsOnce() throws Exception {
        String a = Parley.country(), b = Parley.country();
        String body = "{\"type\":\"INVITATION_ISSUED\",\"source\":\"%s\",\"target\":\"%s\",\"occurredAt\":\"2025-10-24T03:00:00Z\"}"
                .formatted(a, b);
        // two posts of one body: ingest derives the eventId each time, and records each at its own instant
        Statement first = StatementRules.request(StatementJson.read(body.getBytes(StandardCharsets.UTF_8)), Instant.now()).statement();
        Statement retry = StatementRules.request(StatementJson.read(body.getBytes(StandardCharsets.UTF_8)), Instant.now().plusSeconds(5)).statement();
        assertThat(retry.eventId()).isEqualTo(first.eventId());
        Parley.publish(kafka, first.withRecordedAt(Instant.now()));
        Parley.publish(kafka, retry.withRecordedAt(Instant.now().plusSeconds(5)));
        // a later statement behind them: once it shows, both copies have been consumed
        Statement later = StatementRules.request(StatementJson.read(body.replace("INVITATION_ISSUED", "NO_RESPONSE")
                .replace("\"" + a + "\",\"target\":\"" + b, "\"" + b + "\",\"target\":\"" + a)
                .replace("03:00:00Z", "04:00:00Z").getBytes(StandardCharsets.UTF_8)), Instant.now()).statement();
        Parley.publish(kafka, later.withRecordedAt(Instant.now()));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/relationships/" + a + "/" + b)
                .then().statusCode(200).body("lastEvent.eventId", equalTo(later.eventId().toString()))
                .body("eventCount", equalTo(2)).body("status", equalTo("NO_RESPONSE")));
    }
}
