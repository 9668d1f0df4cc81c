package org.parley.status.feed;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.list;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TopicTest;
import org.parley.status.feed.EventStream.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/** The event streams against the real broker and database: statements published to the topic, read as SSE. */
@QuarkusTest
class StreamTest extends TopicTest {
    private static final Instant T0 = Instant.parse("2025-10-24T03:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRelationshipStreamOpensWithTheProjectionAndSendsEachChange() throws Exception {
        String usa = country(), prk = country();
        String id = Parley.relationshipId(usa, prk);
        publish(kafka, statement("INVITATION_ISSUED", usa, prk, T0));
        awaitVersion(usa, prk, 1);
        try (EventStream stream = open("/relationships/" + prk + "/" + usa.toLowerCase() + "/stream")) {
            assertThat(stream.response.statusCode()).isEqualTo(200);
            assertThat(stream.response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.dataEvents().size() == 1);
            Event opening = stream.dataEvents().get(0);
            assertThat(opening.name()).isEqualTo("relationship");
            assertThat(data(opening).get("id").asText()).isEqualTo(id);
            assertThat(data(opening).get("status").asText()).isEqualTo("INVITATION_OPEN");

            publish(kafka, statement("NO_RESPONSE", prk, usa, T0.plusSeconds(3600)));
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.dataEvents().size() == 2);
            Event change = stream.dataEvents().get(1);
            JsonNode now = data(change);
            assertThat(now.get("status").asText()).isEqualTo("NO_RESPONSE");
            assertThat(now.get("awaitingResponseFrom").asText()).isEqualTo(prk);
            assertThat(now.get("version").asLong()).isEqualTo(2);
            assertThat(Long.parseLong(change.id())).isGreaterThan(Long.parseLong(opening.id()));
        }
    }

    @Test
    void theListStreamSendsSummariesOfMatchingChangesOnly() throws Exception {
        String kor = country(), jpn = country(), chn = country(), rus = country();
        try (EventStream stream = open("/relationships/stream?party=" + kor.toLowerCase())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments().contains("parley stream"));
            publish(kafka, statement("INVITATION_ISSUED", chn, rus, T0), statement("INVITATION_ISSUED", kor, jpn, T0));
            awaitVersion(chn, rus, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.dataEvents().size() >= 1);
            awaitVersion(kor, jpn, 1);
            Event summary = stream.dataEvents().get(0);
            assertThat(summary.name()).isEqualTo("summary");
            JsonNode data = data(summary);
            assertThat(data.get("id").asText()).isEqualTo(Parley.relationshipId(kor, jpn));
            assertThat(data.get("status").asText()).isEqualTo("INVITATION_OPEN");
            assertThat(data.get("version").asLong()).isEqualTo(1);
            assertThat(data.get("eventCount").asInt()).isEqualTo(1);
            assertThat(stream.dataEvents()).hasSize(1); // the CHN-RUS change, visible before, was not sent
        }
    }

    @Test
    void lastEventIdResumesWithEverythingThatChangedMeanwhile() throws Exception {
        String kor = country(), jpn = country(), chn = country();
        String id;
        try (EventStream stream = open("/relationships/stream?party=" + kor)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments().contains("parley stream"));
            publish(kafka, statement("INVITATION_ISSUED", kor, jpn, T0));
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.dataEvents().size() == 1);
            id = stream.dataEvents().get(0).id();
        }
        // While away: KOR-JPN moves on, KOR-CHN appears.
        publish(kafka, statement("NO_RESPONSE", jpn, kor, T0.plusSeconds(60)), statement("INVITATION_ISSUED", chn, kor, T0));
        awaitVersion(kor, jpn, 2);
        awaitVersion(kor, chn, 1);
        try (EventStream stream = open("/relationships/stream?party=" + kor, Map.of("Last-Event-ID", id))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.dataEvents().size() == 2);
            List<Event> events = stream.dataEvents();
            assertThat(events).extracting(e -> data(e).get("id").asText())
                    .containsExactlyInAnyOrder(Parley.relationshipId(kor, jpn), Parley.relationshipId(kor, chn));
            assertThat(events).extracting(e -> Long.parseLong(e.id())).isSorted()
                    .allSatisfy(seq -> assertThat(seq).isGreaterThan(Long.parseLong(id)));
            Event korJpn = events.stream().filter(e -> data(e).get("id").asText().equals(Parley.relationshipId(kor, jpn)))
                    .findFirst().orElseThrow();
            assertThat(data(korJpn).get("status").asText()).isEqualTo("NO_RESPONSE");

            // and then live again
            publish(kafka, statement("INVITATION_ACCEPTED", kor, chn, T0.plusSeconds(120)));
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.dataEvents().size() == 3);
            assertThat(data(stream.dataEvents().get(2)).get("status").asText()).isEqualTo("ACCEPTED");
        }
    }

    @Test
    void idleStreamsCarryHeartbeatComments() throws Exception {
        try (EventStream stream = open("/relationships/stream?party=" + country())) {
            // parley.stream.heartbeat is 1s in tests
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments().stream()
                    .filter("heartbeat"::equals).count() >= 2);
            assertThat(stream.dataEvents()).isEmpty();
        }
    }

    @Test
    void badParametersAreProblems() {
        given().header("Last-Event-ID", "yesterday").get("/relationships/stream").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("Last-Event-ID"));
        given().get("/relationships/stream?party=XXX").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("party"));
        given().get("/relationships/stream?status=thawing").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("status"));
        given().get("/relationships/USA/XYZ/stream").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("b"));
        given().get("/relationships/usa/usa/stream").then().statusCode(400)
                .contentType("application/problem+json");
    }

    /** A stream that the service accepted (a 503 here means an earlier test left streams open). */
    private static EventStream open(String path, Map<String, String> headers) throws Exception {
        EventStream stream = EventStream.open(path, headers);
        assertThat(stream.response.statusCode()).as("status of GET %s", path).isEqualTo(200);
        return stream;
    }

    private static EventStream open(String path) throws Exception {
        return open(path, Map.of());
    }

    static JsonNode data(Event event) {
        try {
            return JSON.readTree(event.data());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void awaitVersion(String a, String b, int version) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> given().get("/relationships/" + a + "/" + b)
                .then().statusCode(200).body("version", equalTo(version)));
    }

    static void conditions(String source, String target, Instant at, String... items) {
        publish(kafka, list(statement("CONDITIONS_REITERATED", source, target, at), "conditions", items));
    }
}
