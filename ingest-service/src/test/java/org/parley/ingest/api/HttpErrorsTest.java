package org.parley.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.parley.ingest.Statements.TOKEN;
import static org.parley.ingest.Statements.json;
import static org.parley.ingest.Statements.valid;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.contract.StatementType;
import org.parley.ingest.Statements;
import org.parley.ingest.kafka.TopicProbe;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** 401, 413, 415 and the other non-validation answers: all problem+json, none publishes anything. */
@QuarkusTest
class HttpErrorsTest {
    private static final String PROBLEM = "application/problem+json";

    @TestHTTPResource("/events")
    URL events;
    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

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
    void writesNeedAKnownBearerToken() {
        String body = json(valid(StatementType.NO_RESPONSE));
        long before = topic.size();

        for (String path : List.of("/events", "/events/batch")) {
            String payload = path.endsWith("batch") ? "[" + body + "]" : body;
            given().contentType(ContentType.JSON).body(payload).when().post(path)
                    .then().statusCode(401).contentType(PROBLEM)
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .body("detail", containsString("Authorization"));
            given().header("Authorization", "Basic ZGV2OmRldg==").contentType(ContentType.JSON).body(payload).when().post(path)
                    .then().statusCode(401).contentType(PROBLEM).body("detail", containsString("Bearer scheme"));
            given().auth().oauth2("not-" + TOKEN).contentType(ContentType.JSON).body(payload).when().post(path)
                    .then().statusCode(401).contentType(PROBLEM)
                    .header("WWW-Authenticate", containsString("invalid_token"))
                    .body("detail", equalTo("The bearer token is not known"));
        }
        assertThat(topic.size()).isEqualTo(before);
    }

    @Test
    void anEventBodyOver64KiBIsA413() {
        String event = json(valid(StatementType.NO_RESPONSE, "PRK", "USA"));
        String exactly64KiB = event + " ".repeat(64 * 1024 - event.length());

        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(exactly64KiB).when().post("/events").then().statusCode(202);
        long before = topic.size();
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(exactly64KiB + " ").when().post("/events")
                .then().statusCode(413).contentType(PROBLEM).body("detail", containsString("64 KiB"));
        assertThat(topic.size()).isEqualTo(before);
    }

    @Test
    void aBatchBodyOver4MiBIsA413() {
        String batch = json(Statements.many(10));
        String over4MiB = batch + " ".repeat(4 * 1024 * 1024 + 1 - batch.length());
        long before = topic.size();

        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(over4MiB).when().post("/events/batch")
                .then().statusCode(413).contentType(PROBLEM).body("detail", containsString("4 MiB"));
        assertThat(topic.size()).isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotJsonIsA415() throws Exception {
        String body = json(valid(StatementType.NO_RESPONSE));
        long before = topic.size();
        for (String path : List.of("/events", "/events/batch")) {
            given().auth().oauth2(TOKEN).contentType(ContentType.TEXT).body(body).when().post(path)
                    .then().statusCode(415).contentType(PROBLEM).body("detail", containsString("application/json"));
            given().auth().oauth2(TOKEN).contentType("application/xml").body("<event/>").when().post(path)
                    .then().statusCode(415).contentType(PROBLEM);
        }
        // No Content-Type at all (REST Assured always sends one, the JDK client does not).
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(events.toURI())
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(PROBLEM);
        assertThat(topic.size()).isEqualTo(before);
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        given().when().get("/nothing-here").then().statusCode(404).contentType(PROBLEM).body("status", equalTo(404));
        given().when().get("/events").then().statusCode(405).contentType(PROBLEM).body("status", equalTo(405));
    }

    @Test
    void theApiIsDocumented() {
        given().accept(ContentType.JSON).when().get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/events"))
                .body("paths", org.hamcrest.Matchers.hasKey("/events/batch"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("paths.'/events'.post.responses.keySet()", hasItems("202", "400", "401", "413", "415", "503"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void healthAndMetricsAnswerOnTheManagementPortOnly() {
        assertThat(ready.getPort()).isNotEqualTo(events.getPort());
        given().when().get(metrics).then().statusCode(200).body(containsString("http_server_requests"));
        given().when().get("/q/health/ready").then().statusCode(404);
        given().when().get("/q/health").then().statusCode(404);
        given().when().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void readinessIncludesTheBrokerAndTheTopic() {
        given().when().get(ready).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'parley-topic' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'parley-topic' }.data.topic", equalTo(topic.topic))
                .body("checks.find { it.name.contains('Kafka') }.status", equalTo("UP"));
    }
}
