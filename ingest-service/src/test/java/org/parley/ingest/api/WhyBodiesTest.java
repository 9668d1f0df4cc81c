package org.parley.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.parley.ingest.Statements.TOKEN;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.contract.StatementRules;
import org.parley.ingest.Statements;
import org.parley.ingest.kafka.TopicProbe;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The bodies of issue 10, once answered 202 and then dead-lettered by status-service, and their near misses:
 * each is refused with a 400 naming the field, or accepted and published as a record status-service's decoder
 * (the contract's, the same one) accepts.
 */
@QuarkusTest
class WhyBodiesTest {
    private static final String BASE = """
            {"type":"%s","source":"USA","target":"PRK","occurredAt":"2025-10-24T03:00:00Z", %s}""";

    private TopicProbe topic;

    @BeforeEach
    void open() {
        topic = TopicProbe.open();
    }

    @AfterEach
    void close() {
        topic.close();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "CONDITIONS_REITERATED | \"conditions\":[\"\\u00a0\"]                          | conditions[0]",
            "NO_RESPONSE           | \"summary\":\"a\\u0000b\"                             | summary",
            "NO_RESPONSE           | \"summary\":\"a\\ud800b\"                             | summary",
            "NO_RESPONSE           | \"speaker\":\"\\ufeff\"                               | speaker",
            "NO_RESPONSE           | \"occurredAt\":\"0000-06-01T00:00:00Z\"               | occurredAt",
            "NO_RESPONSE           | \"occurredAt\":\"0001-01-01T00:30:00+01:00\"          | occurredAt",
            "MEETING_SCHEDULED     | \"meetingAt\":\"9999-12-31T23:59:59-01:00\"           | meetingAt",
            "NO_RESPONSE           | \"sourceUrl\":\"https://example.org/a\\ufeff\"        | sourceUrl",
            "MEETING_HELD          | \"location\":\" \"                                    | location",
            "NO_RESPONSE           | \"occurredAt\":\"2016-12-31T23:59:60Z\"               | occurredAt",
            "NO_RESPONSE           | \"summary\":42                                        | summary",
            "CONDITIONS_REITERATED | \"conditions\":[\"\\u00a0Recognition\"]               | ",
            "NO_RESPONSE           | \"summary\":\"emoji \\ud83d\\ude00 paired\"           | ",
            "NO_RESPONSE           | \"occurredAt\":\"0001-01-01T00:30:00+00:30\"          | ",
            "MEETING_SCHEDULED     | \"meetingAt\":\"9999-12-31T23:59:59+01:00\"           | ",
            "NO_RESPONSE           | \"sourceUrl\":\"https://example.org/caf\\u00e9\"      | ",
    })
    void refusedOnItsFieldOrPublishedAsStatusServiceReadsIt(String type, String fields, String refusedField) {
        String body = BASE.formatted(type, fields);
        if (fields.startsWith("\"occurredAt\"")) {
            body = body.replace("\"occurredAt\":\"2025-10-24T03:00:00Z\", ", "");
        }
        var response = given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(body).when().post("/events");
        if (refusedField != null) {
            response.then().statusCode(400).contentType("application/problem+json")
                    .body("errors", hasSize(1)).body("errors[0].field", equalTo(refusedField));
            return;
        }
        JsonPath accepted = response.then().statusCode(202).extract().jsonPath();
        ConsumerRecord<String, String> record = topic.committedAt(accepted.getInt("partition"), accepted.getLong("offset"));
        StatementRules.Decoded decoded = StatementRules.record(record.key().getBytes(StandardCharsets.UTF_8),
                record.value().getBytes(StandardCharsets.UTF_8));
        assertThat(decoded).isInstanceOf(StatementRules.Accepted.class);
        assertThat(((StatementRules.Accepted) decoded).statement().eventId()).hasToString(accepted.getString("eventId"));
    }
}
