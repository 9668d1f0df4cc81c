package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.list;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TopicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The exports: PLOVER records and CAMEO CSV of the coded events in effect, in fold order, resumable, streamed. */
@QuarkusTest
class ExportTest extends TopicTest {
    private static final Instant T0 = Instant.parse("2025-10-24T03:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final JsonSchema PLOVER;

    static {
        try (InputStream in = ExportTest.class.getResourceAsStream("/plover/plover-event.schema.json")) {
            PLOVER = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in,
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Inject
    DataSource dataSource;

    @TestHTTPResource("/")
    URL base;

    @Test
    void codedEventsInEffectAsPloverRecordsAndCsvInFoldOrder() throws Exception {
        String a = country(), b = country();
        String id = Parley.relationshipId(a, b);
        ObjectNode invitation = statement("INVITATION_ISSUED", a, b, T0);
        invitation.put("speaker", "The President").put("sourceUrl", "https://example.org/news/1")
                .put("summary", "Says he would \"love\" to meet, soon, anywhere");
        ObjectNode conditions = list(statement("CONDITIONS_REITERATED", b, a, T0.plusSeconds(3600)), "conditions",
                "Sanctions lifted first").put("cameoCode", "105");
        ObjectNode silence = statement("NO_RESPONSE", b, a, T0.plusSeconds(7200));
        ObjectNode declined = statement("INVITATION_DECLINED", b, a, T0.plusSeconds(10800));
        ObjectNode correction = statement("STATEMENT_RETRACTED", b, a, T0.plusSeconds(14400))
                .put("retracts", declined.get("eventId").asText());
        ObjectNode held = statement("MEETING_HELD", a, b, T0.plusSeconds(18000).plusNanos(123_456_789))
                .put("cameoCode", "044").put("location", "Panmunjom");
        publish(kafka, invitation, conditions, silence, declined, correction, held);
        String path = "/relationships/" + a + "/" + b;
        RelationshipApiTest.awaitEventCount(path, 4);

        String body = given().get(path + "/statements.jsonl").then().statusCode(200)
                .contentType(ExportResource.JSONL).extract().asString();
        List<JsonNode> records = new ArrayList<>();
        for (String line : body.split("\n")) {
            JsonNode record = JSON.readTree(line);
            assertThat(PLOVER.validate(record)).as(line).isEmpty();
            records.add(record);
        }
        // NO_RESPONSE, the correction and what it retracted are not coded events in effect
        assertThat(records).extracting(r -> r.get("eventId").asText()).containsExactly(
                invitation.get("eventId").asText(), conditions.get("eventId").asText(), held.get("eventId").asText());
        JsonNode first = records.get(0);
        assertThat(first.get("id").asText()).isEqualTo(invitation.get("eventId").asText());
        assertThat(first.get("date").asText()).isEqualTo("2025-10-24");
        assertThat(first.get("time").asText()).isEqualTo("03:00:00Z");
        assertThat(first.at("/actor/0/code").asText()).isEqualTo(a);
        assertThat(first.at("/actor/0/entity_text").asText()).isEqualTo("The President");
        assertThat(first.at("/recipient/0/code").asText()).isEqualTo(b);
        assertThat(first.get("event").toString()).isEqualTo("[\"AGREE\"]");
        assertThat(first.get("mode").toString()).isEqualTo("[]");
        assertThat(first.get("context").toString()).isEqualTo("[\"diplomatic\"]");
        assertThat(first.get("text").asText()).isEqualTo("Says he would \"love\" to meet, soon, anywhere");
        assertThat(first.get("link").asText()).isEqualTo(id);
        assertThat(first.at("/cite_info/url").asText()).isEqualTo("https://example.org/news/1");
        assertThat(first.get("cameo_code").isTextual()).isTrue();
        assertThat(first.get("cameo_code").asText()).isEqualTo("036");
        assertThat(first.get("goldstein").asDouble()).isEqualTo(4.0);
        // the newsroom's own codes, with their PLOVER modes
        assertThat(records.get(1).get("event").toString()).isEqualTo("[\"REQUEST\"]");
        assertThat(records.get(1).get("mode").toString()).isEqualTo("[\"yield\"]");
        assertThat(records.get(1).get("cameo_code").asText()).isEqualTo("105");
        assertThat(records.get(2).get("event").toString()).isEqualTo("[\"CONSULT\"]");
        assertThat(records.get(2).get("mode").toString()).isEqualTo("[\"third-party\"]");
        assertThat(records.get(2).get("goldstein").asDouble()).isEqualTo(2.5);
        assertThat(records.get(2).get("time").asText()).isEqualTo("08:00:00.123456789Z");

        String csv = given().get(path + "/statements.csv").then().statusCode(200).contentType(ExportResource.CSV)
                .extract().asString();
        assertThat(csv.split("\r\n", -1)).containsExactly(
                "eventId,date,occurredAt,source,target,type,cameoCode,goldstein,ploverEvent,ploverMode,ploverContext,"
                        + "speaker,sourceUrl,summary",
                invitation.get("eventId").asText() + ",2025-10-24,2025-10-24T03:00:00Z," + a + "," + b
                        + ",INVITATION_ISSUED,036,4.0,AGREE,,diplomatic,The President,https://example.org/news/1,"
                        + "\"Says he would \"\"love\"\" to meet, soon, anywhere\"",
                conditions.get("eventId").asText() + ",2025-10-24,2025-10-24T04:00:00Z," + b + "," + a
                        + ",CONDITIONS_REITERATED,105,-5.0,REQUEST,yield,diplomatic,,,",
                held.get("eventId").asText() + ",2025-10-24,2025-10-24T08:00:00.123456789Z," + a + "," + b
                        + ",MEETING_HELD,044,2.5,CONSULT,third-party,diplomatic,,,",
                "");

        // Resumable: a record at a time, each response after the last eventId received; then an empty one.
        List<String> resumed = new ArrayList<>();
        String after = null;
        for (int i = 0; i < 4; i++) {
            var request = given().queryParam("limit", 1);
            if (after != null) {
                request.queryParam("after", after);
            }
            String page = request.get(path + "/statements.jsonl").then().statusCode(200).extract().asString();
            if (i == 3) {
                assertThat(page).isEmpty();
                break;
            }
            after = JSON.readTree(page.strip()).get("eventId").asText();
            resumed.add(after);
        }
        assertThat(resumed).isEqualTo(records.stream().map(r -> r.get("eventId").asText()).toList());
    }

    @Test
    void badRequestsAreProblemsBeforeAnyByte() {
        String a = country(), b = country();
        publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
        String path = "/relationships/" + a + "/" + b;
        RelationshipApiTest.awaitEventCount(path, 1);
        for (String after : List.of("not-a-uuid", UUID.randomUUID().toString())) {
            given().queryParam("after", after).get(path + "/statements.csv").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("after"));
        }
        given().queryParam("limit", 0).get(path + "/statements.jsonl").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        given().get("/relationships/" + country() + "/" + country() + "/statements.jsonl").then().statusCode(404)
                .contentType("application/problem+json");
        given().get(path + "/statements.jsonl").then().statusCode(200);
    }

    /**
     * 200,000 statements streamed in one response, in fold order, read line by line as they come; the rows go
     * straight into the statement table as the consumer stores them (publishing them would only slow the test).
     */
    @Test
    void twoHundredThousandStatementsStreamInFoldOrder() throws Exception {
        int n = 200_000;
        String a = country(), b = country();
        String id = Parley.relationshipId(a, b);
        publish(kafka, statement("INVITATION_ISSUED", a, b, T0.minus(Duration.ofDays(1))));
        String path = "/relationships/" + a + "/" + b;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(
                () -> given().get(path).then().statusCode(200).body("eventCount", equalTo(1)));
        String seed = UUID.randomUUID().toString();
        String payload = "jsonb_build_object('eventId', e::text, 'type', t, 'source', ?, 'target', ?,"
                + " 'occurredAt', to_char(o AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                + " 'recordedAt', to_char(o AT TIME ZONE 'UTC' + interval '1 second', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))";
        String sql = "INSERT INTO statement (event_id, relationship_id, type, source, target, occurred_at, recorded_at,"
                + " kafka_partition, kafka_offset, payload)"
                + " SELECT e, ?, t, ?, ?, o, o + interval '1 second', 0, -i, " + payload
                + " || CASE WHEN t = 'STATEMENT_RETRACTED' THEN jsonb_build_object('retracts', md5(? || 10)::uuid::text)"
                + "    ELSE jsonb_build_object('conditions', jsonb_build_array('Recognition')) END"
                + " FROM (SELECT i, md5(? || i)::uuid AS e,"
                + "   CASE WHEN i > ? THEN 'STATEMENT_RETRACTED' ELSE 'CONDITIONS_REITERATED' END AS t,"
                + "   ?::timestamptz + interval '1 second' * i AS o FROM generate_series(1, ? + 1) AS i) AS g";
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            int p = 1;
            for (String value : List.of(id, b, a, b, a, seed, seed)) {
                insert.setString(p++, value);
            }
            insert.setInt(p++, n);
            insert.setString(p++, T0.toString());
            insert.setInt(p, n);
            assertThat(insert.executeUpdate()).isEqualTo(n + 1);
            try (var analyze = c.createStatement()) {
                analyze.execute("ANALYZE statement");
            }
        }
        try {
            long started = System.nanoTime();
            HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(base + path.substring(1) + "/statements.jsonl")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            AtomicInteger count = new AtomicInteger();
            AtomicReference<String> previous = new AtomicReference<>("");
            response.body().forEach(line -> {
                count.incrementAndGet();
                // occurredAt one second apart: the time field orders them (the invitation is the day before)
                String at;
                try {
                    JsonNode record = JSON.readTree(line);
                    at = record.get("date").asText() + "T" + record.get("time").asText();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                assertThat(at).isGreaterThan(previous.get());
                previous.set(at);
            });
            // the invitation and every condition but the one retracted
            assertThat(count.get()).isEqualTo(1 + n - 1);
            System.out.printf("exported %d PLOVER records in %d ms%n", count.get(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        } finally {
            try (Connection c = dataSource.getConnection(); PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM statement WHERE relationship_id = ? AND kafka_offset < 0")) {
                delete.setString(1, id);
                delete.executeUpdate();
            }
        }
    }
}
