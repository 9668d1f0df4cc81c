package org.parley.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.parley.ingest.Statements.TOKEN;
import static org.parley.ingest.Statements.json;
import static org.parley.ingest.Statements.valid;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.contract.RuleCases;
import org.parley.contract.StatementType;
import org.parley.ingest.Statements;
import org.parley.ingest.kafka.TopicProbe;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Every rule over HTTP: a 400 problem naming the field, and nothing on the topic. */
@QuarkusTest
class ValidationOverHttpTest {
    private TopicProbe topic;

    @BeforeEach
    void open() {
        topic = TopicProbe.open();
    }

    @AfterEach
    void close() {
        topic.close();
    }

    static Stream<RuleCases.Case> rules() {
        return RuleCases.all();
    }

    static ValidatableResponse post(String body) {
        return given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(body).when().post("/events").then();
    }

    /**
     * Runs {@code rejected} and then posts a valid marker: the topic must have grown by the marker alone.
     * (Offsets count every record and transaction marker, so anything else written would show.)
     */
    void assertNothingPublishedBy(Runnable rejected) {
        long before = topic.size();
        rejected.run();
        PublishTest.post(valid(StatementType.NO_RESPONSE, "PRK", "USA"));
        assertThat(topic.size()).as("offsets written: only the marker").isEqualTo(before + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void aBrokenRuleIsA400NamingTheFieldAndNothingIsPublished(RuleCases.Case rule) {
        assertNothingPublishedBy(() -> post(json(rule.event()))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Bad Request"))
                .body("errors.field", hasItem(rule.field()))
                .body("errors.find { it.field == '" + rule.field() + "' }.message", containsString(rule.message())));
    }

    @Test
    void malformedJsonIsA400WithWhereItBroke() {
        assertNothingPublishedBy(() -> post("{\"type\": \"NO_RESPONSE\", \"conditions\": [\"a\",]}")
                .statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not valid JSON (line 1, column"))
                .body("errors[0].field", equalTo("conditions[1]")));
    }

    @Test
    void aDuplicateKeyIsA400NamingIt() {
        String body = json(valid(StatementType.NO_RESPONSE)).replaceFirst("\\{", "{\"source\": \"CHN\", ");
        assertNothingPublishedBy(() -> post(body)
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("source"))
                .body("errors[0].message", containsString("Duplicate field 'source'")));
    }

    @Test
    void anEmptyBodyOrAnArrayOrTrailingContentIsA400() {
        assertNothingPublishedBy(() -> {
            post("").statusCode(400).contentType("application/problem+json").body("detail", containsString("empty"));
            post("[" + json(valid(StatementType.NO_RESPONSE)) + "]").statusCode(400).body("errors[0].message", containsString("JSON object"));
            post(json(valid(StatementType.NO_RESPONSE)) + " {}").statusCode(400).body("detail", containsString("after the end"));
            post("null").statusCode(400).contentType("application/problem+json");
        });
    }
}
