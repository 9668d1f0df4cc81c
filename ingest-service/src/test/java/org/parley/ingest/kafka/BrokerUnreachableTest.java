package org.parley.ingest.kafka;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasSize;
import static org.parley.ingest.Statements.TOKEN;
import static org.parley.ingest.Statements.json;
import static org.parley.ingest.Statements.valid;
import static org.parley.ingest.Statements.with;
import static org.parley.ingest.Statements.without;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.parley.contract.StatementType;
import org.parley.ingest.Statements;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * With no broker to acknowledge, the answer is 503 with Retry-After naming the eventIds concerned, never 202;
 * start-up still succeeds.
 */
@QuarkusTest
@TestProfile(BrokerUnreachableTest.DeadBroker.class)
class BrokerUnreachableTest {
    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    public static class DeadBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Nothing listens on port 1. Short timeouts keep the test quick.
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:1",
                    "parley.kafka.max-block", "1s",
                    "parley.kafka.request-timeout", "500ms",
                    "parley.kafka.delivery-timeout", "1s");
        }
    }

    @Test
    void aSingleEventIsA503WithRetryAfter() {
        Map<String, Object> event = valid(StatementType.INVITATION_ISSUED);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(json(event))
                .when().post("/events")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("status", equalTo(503))
                .body("detail", containsString("same eventId"))
                .body("eventIds", contains(event.get("eventId")));
    }

    @Test
    void a503NamesTheDerivedEventIdTheRetryWillGetToo() {
        Map<String, Object> body = without(valid(StatementType.NO_RESPONSE), "eventId");
        String first = given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(json(body)).when().post("/events")
                .then().statusCode(503).body("eventIds", hasSize(1)).extract().path("eventIds[0]");
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(json(body)).when().post("/events")
                .then().statusCode(503).body("eventIds", contains(first));
    }

    @Test
    void aBatchIsA503WithRetryAfter() {
        List<Map<String, Object>> batch = Statements.many(3);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(json(batch))
                .when().post("/events/batch")
                .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5")
                .body("eventIds", contains(batch.stream().map(e -> e.get("eventId")).toArray()));
    }

    @Test
    void badInputIsStillA400() {
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(json(with(valid(StatementType.NO_RESPONSE), "source", "XXX")))
                .when().post("/events")
                .then().statusCode(400).body("errors[0].field", equalTo("source"));
    }

    @Test
    void theServiceIsNotReadyAndSaysWhatIsDownWithoutExceptionText() {
        given().when().get(ready).then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'parley-topic' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Kafka connection health check' }.data.reason",
                        containsString("no broker answered"))
                // Neither the broker's address nor any exception's class or message.
                .body(not(containsString("127.0.0.1")))
                .body(not(containsString("Exception")));
    }
}
