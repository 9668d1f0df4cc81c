package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.list;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.parley.status.Management;
import org.parley.status.Parley;
import org.parley.status.TestBroker;
import org.parley.status.TopicTest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Statements published as ingest-service publishes them, read back over HTTP. */
@QuarkusTest
class RelationshipApiTest extends TopicTest {
    private static final Instant T0 = Instant.parse("2025-10-24T03:00:00.123456789Z");

    @Test
    void statementsAppearOverHttpWithEveryField() {
        String usa = country(), prk = country();
        ObjectNode issued = list(statement("INVITATION_ISSUED", usa, prk, T0), "incentives", "Sanctions relief");
        issued.put("speaker", "The President").put("summary", "Would love to meet.").put("quote", "I would love to")
                .put("sourceUrl", "https://example.org/a");
        ObjectNode silent = statement("NO_RESPONSE", prk, usa, T0.plusSeconds(3600));
        publish(kafka, issued, silent);

        String path = "/relationships/" + prk.toLowerCase() + "/" + usa;
        awaitEventCount(path, 2);
        String id = Parley.relationshipId(usa, prk);
        Response first = given().get(path);
        first.then().statusCode(200)
                .header("Cache-Control", "no-cache")
                .body("id", equalTo(id))
                .body("parties", contains(id.substring(0, 3), id.substring(4)))
                .body("status", equalTo("NO_RESPONSE"))
                .body("invitation.from", equalTo(usa))
                .body("invitation.to", equalTo(prk))
                .body("invitation.issuedAt", equalTo("2025-10-24T03:00:00.123456789Z"))
                .body("invitation.eventId", equalTo(issued.get("eventId").asText()))
                .body("invitation.incentives", contains("Sanctions relief"))
                .body("awaitingResponseFrom", equalTo(prk))
                .body("silentSince", equalTo("2025-10-24T03:00:00.123456789Z"))
                .body("incentives." + usa + "[0].text", equalTo("Sanctions relief"))
                .body("incentives." + usa + "[0].timesStated", equalTo(1))
                .body("conditions." + prk, empty())
                .body("meeting", nullValue())
                .body("lastEvent.eventId", equalTo(silent.get("eventId").asText()))
                .body("lastEvent.type", equalTo("NO_RESPONSE"))
                .body("lastEvent.recordedAt", equalTo("2025-10-24T04:00:01.123456789Z"))
                .body("lastEventAt", equalTo("2025-10-24T04:00:00.123456789Z"))
                .body("eventCount", equalTo(2))
                .body("version", notNullValue())
                .body("updatedAt", notNullValue())
                .body("$", not(hasKey("retractedIds")));
        long version = first.jsonPath().getLong("version");
        // the version, and a hash of the stored content (ETagContentTest)
        assertThat(first.header("ETag")).matches("\"" + version + "-[0-9a-f]{16}\"");

        ObjectNode conditions = list(statement("CONDITIONS_REITERATED", prk, usa, T0.plusSeconds(7200)), "conditions",
                "Recognition as a nuclear power");
        publish(kafka, conditions);
        awaitEventCount(path, 3);
        given().get("/relationships/" + usa + "/" + prk.toLowerCase()).then().statusCode(200)
                .body("status", equalTo("CONDITIONS_SET"))
                .body("awaitingResponseFrom", equalTo(usa))
                .body("silentSince", nullValue())
                .body("conditions." + prk + "[0].text", equalTo("Recognition as a nuclear power"))
                .body("version", equalTo((int) version + 1));

        given().queryParam("party", usa).get("/relationships").then().statusCode(200)
                .body("id", contains(id))
                .body("[0].parties", contains(id.substring(0, 3), id.substring(4)))
                .body("[0].status", equalTo("CONDITIONS_SET"))
                .body("[0].eventCount", equalTo(3))
                .body("[0].lastEventAt", equalTo("2025-10-24T05:00:00.123456789Z"));
    }

    @Test
    void aDuplicateMovesNeitherVersionNorEventCount() {
        String a = country(), b = country();
        ObjectNode issued = statement("INVITATION_ISSUED", a, b, T0);
        publish(kafka, issued);
        String path = "/relationships/" + a + "/" + b;
        awaitEventCount(path, 1);
        long version = given().get(path).jsonPath().getLong("version");

        ObjectNode sameIdOtherText = issued.deepCopy().put("summary", "a conflicting copy");
        ObjectNode next = statement("NO_RESPONSE", b, a, T0.plusSeconds(60));
        // Same key, so same partition: both duplicates are consumed before next.
        publish(kafka, issued, sameIdOtherText, next);
        awaitEventCount(path, 2);
        given().get(path).then().body("version", equalTo((int) version + 1))
                .body("lastEvent.eventId", equalTo(next.get("eventId").asText()));
        given().get(path + "/timeline").then().statusCode(200).body("entries", hasSize(2))
                .body("entries[0].summary", nullValue());
    }

    @Test
    void eTagAndIfNoneMatch() {
        String a = country(), b = country();
        publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
        String path = "/relationships/" + a + "/" + b;
        awaitEventCount(path, 1);
        String etag = given().get(path).header("ETag");
        assertThat(etag).matches("\"\\d+-[0-9a-f]{16}\"");

        for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"nope\", W/" + etag, "\"x\",  " + etag + " ", "*")) {
            Response notModified = given().header("If-None-Match", ifNoneMatch).get(path);
            notModified.then().statusCode(304).header("ETag", etag).header("Cache-Control", "no-cache");
            assertThat(notModified.asByteArray()).as(ifNoneMatch).isEmpty();
        }
        for (String other : List.of("\"nope\"", "W/\"0\"", "garbage")) {
            given().header("If-None-Match", other).get(path).then().statusCode(200).header("ETag", etag);
        }

        String timelineETag = given().get(path + "/timeline").then().statusCode(200).extract().header("ETag");
        given().header("If-None-Match", timelineETag).get(path + "/timeline").then().statusCode(304);

        publish(kafka, statement("NO_RESPONSE", b, a, T0.plusSeconds(60)));
        awaitEventCount(path, 2);
        given().header("If-None-Match", etag).get(path).then().statusCode(200)
                .header("ETag", not(etag));
        given().header("If-None-Match", timelineETag).get(path + "/timeline").then().statusCode(200);
    }

    @Test
    void errorsAreProblemJson() {
        String a = country(), b = country();
        given().get("/relationships/" + a + "/" + b).then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404)).body("title", equalTo("Not Found"))
                .body("detail", containsString(Parley.relationshipId(a, b)));
        given().get("/relationships/" + a + "/" + b + "/timeline").then().statusCode(404)
                .contentType("application/problem+json");

        given().get("/relationships/USA/XYZ").then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("errors.field", contains("b"));
        given().get("/relationships/US/usa1").then().statusCode(400).body("errors.field", contains("a", "b"));
        given().get("/relationships/usa/USA").then().statusCode(400).body("errors.field", contains("b"));
        given().queryParam("asOf", "yesterday").get("/relationships/USA/PRK").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", contains("asOf"));
        given().queryParam("limit", "0").queryParam("offset", "-1").queryParam("status", "HAPPY")
                .queryParam("party", "XX").get("/relationships").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("limit", "offset", "status", "party"));
        given().queryParam("limit", "1001").get("/relationships").then().statusCode(400);

        given().post("/relationships").then().statusCode(405).contentType("application/problem+json")
                .body("status", equalTo(405));
        given().accept("text/csv").get("/relationships").then().statusCode(406)
                .contentType("application/problem+json");
        given().get("/relationships/USA/PRK/timeline/more").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void listFiltersSortsAndPages() {
        String party = country(), x = country(), y = country(), z = country();
        publish(kafka,
                statement("INVITATION_ISSUED", party, x, T0),
                meeting(statement("MEETING_SCHEDULED", y, party, T0)),
                statement("INVITATION_ISSUED", z, party, T0));
        List<String> ids = List.of(Parley.relationshipId(party, x), Parley.relationshipId(party, y),
                Parley.relationshipId(party, z)).stream().sorted().toList();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().queryParam("party", party.toLowerCase())
                .get("/relationships").then().statusCode(200).body("id", equalTo(ids)));

        given().queryParam("party", party).queryParam("status", "meeting_scheduled").get("/relationships").then()
                .body("id", contains(Parley.relationshipId(party, y)))
                .body("[0].status", equalTo("MEETING_SCHEDULED"));
        given().queryParam("party", party).queryParam("limit", 1).queryParam("offset", 1).get("/relationships").then()
                .body("id", contains(ids.get(1)));
        given().queryParam("party", party).queryParam("offset", 3).get("/relationships").then()
                .body("$", empty());
        given().queryParam("status", "INVITATION_OPEN").get("/relationships").then()
                .body("id", hasItem(Parley.relationshipId(party, x)))
                .body("status", everyItem(equalTo("INVITATION_OPEN")));
    }

    @Test
    void asOfFoldsWhatHadOccurredByThen() {
        String a = country(), b = country();
        publish(kafka,
                statement("INVITATION_ISSUED", a, b, T0),
                statement("NO_RESPONSE", b, a, T0.plusSeconds(3600)),
                statement("INVITATION_ACCEPTED", b, a, T0.plusSeconds(7200)));
        String path = "/relationships/" + a + "/" + b;
        awaitEventCount(path, 3);
        given().get(path).then().body("status", equalTo("ACCEPTED"));

        Response then = given().queryParam("asOf", "2025-10-24T03:30:00Z").get(path);
        then.then().statusCode(200).header("Cache-Control", "no-cache")
                .body("status", equalTo("INVITATION_OPEN")).body("eventCount", equalTo(1))
                .body("silentSince", equalTo("2025-10-24T03:00:00.123456789Z"))
                .body("version", nullValue());
        assertThat(then.header("ETag")).isNull();
        // inclusive, and an offset other than Z
        given().queryParam("asOf", "2025-10-24T06:00:00.123456789+02:00").get(path).then().statusCode(200)
                .body("status", equalTo("NO_RESPONSE")).body("eventCount", equalTo(2));
        given().queryParam("asOf", "2020-01-01T00:00:00Z").get(path).then().statusCode(200)
                .body("status", equalTo("NO_INVITATION")).body("eventCount", equalTo(0))
                .body("lastEvent", nullValue());
    }

    @Test
    void timelineMarksRetractedStatements() {
        String a = country(), b = country();
        ObjectNode issued = statement("INVITATION_ISSUED", a, b, T0);
        ObjectNode withdrawn = statement("INVITATION_WITHDRAWN", a, b, T0.plusSeconds(60));
        ObjectNode retraction = statement("STATEMENT_RETRACTED", a, b, T0.plusSeconds(120))
                .put("retracts", withdrawn.get("eventId").asText());
        // The correction arrives before what it corrects: the late statement must not count.
        publish(kafka, issued, retraction);
        String path = "/relationships/" + a + "/" + b;
        awaitEventCount(path, 1);
        publish(kafka, withdrawn, statement("NO_RESPONSE", b, a, T0.plusSeconds(180)));
        awaitEventCount(path, 2);

        given().get(path).then().body("status", equalTo("NO_RESPONSE"));
        given().get(path + "/timeline").then().statusCode(200)
                .header("Cache-Control", "no-cache")
                .body("id", equalTo(Parley.relationshipId(a, b)))
                .body("entries.type", contains("INVITATION_ISSUED", "INVITATION_WITHDRAWN", "STATEMENT_RETRACTED",
                        "NO_RESPONSE"))
                .body("entries.effect", contains("APPLIED", "RETRACTED", "RETRACTION", "APPLIED"))
                .body("entries.retracted", contains(false, true, false, false))
                .body("entries[0].eventId", equalTo(issued.get("eventId").asText()))
                .body("entries[0].occurredAt", equalTo("2025-10-24T03:00:00.123456789Z"))
                .body("entries[2].retracts", equalTo(withdrawn.get("eventId").asText()));
    }

    /** ingest-service publishes batches in Kafka transactions: only committed ones count. */
    @Test
    void onlyCommittedTransactionsAreRead() {
        String a = country(), b = country();
        ObjectNode aborted = statement("INVITATION_ISSUED", a, b, T0);
        ObjectNode committed1 = statement("INVITATION_ISSUED", a, b, T0.plusSeconds(60));
        ObjectNode committed2 = statement("NO_RESPONSE", b, a, T0.plusSeconds(120));
        Properties config = new Properties();
        config.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "status-test-" + a + b,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        config.putAll(TestBroker.fixture());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(Parley.record(aborted));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(Parley.record(committed1));
            producer.send(Parley.record(committed2));
            producer.commitTransaction();
        }
        String path = "/relationships/" + a + "/" + b;
        awaitEventCount(path, 2);
        given().get(path + "/timeline").then()
                .body("entries.eventId", contains(committed1.get("eventId").asText(),
                        committed2.get("eventId").asText()));
    }

    @Test
    void metricsHealthAndOpenApi() {
        String metrics = given().get(Management.url("/metrics")).then().statusCode(200).extract().asString();
        assertThat(metrics).contains("parley_statements_applied_total", "parley_statements_duplicates_total",
                "parley_statements_dead_lettered_total", "parley_consumer_lag");
        // Readiness is about reads (PostgreSQL, and no history gap); the consumer and the broker report apart.
        given().get(Management.url("/health/ready")).then().statusCode(200)
                .body("checks.name", hasItems("statement-history", "Database connections health check"));
        given().get(Management.url("/health/group/consumer")).then().statusCode(200)
                .body("checks.name", hasItems("statement-consumer", "kafka-broker"))
                .body("checks.find { it.name == 'statement-consumer' }.status", equalTo("UP"));
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/relationships/{a}/{b}/timeline"));
        given().get("/q/swagger-ui/").then().statusCode(200);
        // Health and metrics are on the management port only.
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    private static ObjectNode meeting(ObjectNode statement) {
        return statement.put("meetingAt", "2025-12-01T02:00:00Z").put("location", "Panmunjom");
    }

    static void awaitEventCount(String path, int eventCount) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> given().get(path).then().statusCode(200).body("eventCount", equalTo(eventCount)));
    }
}
