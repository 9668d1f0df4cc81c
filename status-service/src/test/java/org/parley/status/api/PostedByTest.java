package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.metric;
import static org.parley.status.Parley.record;
import static org.parley.status.Parley.statement;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.parley.contract.CloudEvents;
import org.parley.status.TopicTest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Who posted each statement (the record's authcontext) is stored and shown; a squatted eventId is a conflict, kept
 * aside with its poster so that neither statement is lost.
 */
@QuarkusTest
class PostedByTest extends TopicTest {
    private static final Instant T0 = Instant.parse("2025-10-24T03:00:00Z");

    @Inject
    DataSource dataSource;

    private static ProducerRecord<String, String> postedBy(ObjectNode statement, String principal, String roles) {
        ProducerRecord<String, String> record = record(statement);
        record.headers().add(CloudEvents.AUTH_TYPE, "app_user".getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEvents.AUTH_ID, principal.getBytes(StandardCharsets.UTF_8));
        record.headers().add(CloudEvents.AUTH_ROLES, roles.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static void send(List<ProducerRecord<String, String>> records) {
        kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(30));
    }

    @Test
    void theTimelineNamesWhoPostedEachStatement() {
        String a = country(), b = country();
        ObjectNode named = statement("INVITATION_ISSUED", a, b, T0);
        ObjectNode anonymous = statement("NO_RESPONSE", b, a, T0.plusSeconds(60));
        send(List.of(postedBy(named, "seoul-desk", "post"), record(anonymous)));
        String path = "/relationships/" + a + "/" + b;
        RelationshipApiTest.awaitEventCount(path, 2);

        JsonPath timeline = given().get(path + "/timeline").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> entries = timeline.getList("entries");
        assertThat(entries).extracting(e -> e.get("eventId")).containsExactly(named.get("eventId").asText(),
                anonymous.get("eventId").asText());
        assertThat(entries.get(0)).containsEntry("postedBy", "seoul-desk");
        assertThat(entries.get(1)).doesNotContainKey("postedBy"); // a record from before ingest named its clients
    }

    @Test
    void aSecondStatementUnderAStoredEventIdIsAConflictAndTheFirstIsKept() throws Exception {
        String a = country(), b = country();
        ObjectNode real = statement("INVITATION_ISSUED", a, b, T0);
        real.put("summary", "the real statement");
        String path = "/relationships/" + a + "/" + b;
        send(List.of(postedBy(real, "wire", "post")));
        RelationshipApiTest.awaitEventCount(path, 1);
        double before = metric("parley_statements_conflicts_total");

        ObjectNode squat = real.deepCopy();
        squat.put("summary", "a squatter's statement");
        ObjectNode repost = real.deepCopy();
        repost.put("recordedAt", T0.plusSeconds(30).toString()); // the same statement posted again: a duplicate
        send(List.of(postedBy(squat, "squatter", "post"), postedBy(repost, "wire", "post")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertThat(metric("parley_statements_conflicts_total")).isEqualTo(before + 1));

        JsonPath timeline = given().get(path + "/timeline").then().statusCode(200).extract().jsonPath();
        assertThat(timeline.getList("entries.summary")).containsExactly("the real statement");
        assertThat(timeline.getList("entries.postedBy")).containsExactly("wire");
        // The other is kept aside, with who posted it and who posted the stored one; the re-post is no conflict.
        assertThat(keptAside(UUID.fromString(real.get("eventId").asText())))
                .containsExactly("squatter / wire / a squatter's statement");
    }

    private List<String> keptAside(UUID eventId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT posted_by || ' / ' || stored_posted_by || ' / ' || (payload->>'summary')"
                        + " FROM statement_conflict WHERE event_id = ? ORDER BY id")) {
            select.setObject(1, eventId);
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        }
    }

    // A retracted statement leaves the projection's eventCount: wait on the timeline instead.
    private static void awaitTimelineSize(String path, int size) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                given().get(path + "/timeline").then().statusCode(200).extract().jsonPath().getList("entries")).hasSize(size));
    }

    private static ObjectNode retraction(String a, String b, ObjectNode original, Instant at) {
        ObjectNode retraction = statement("STATEMENT_RETRACTED", a, b, at);
        retraction.put("retracts", original.get("eventId").asText());
        return retraction;
    }

    @Test
    void onlyThePosterOrAnEditorRetractsAStatementWhateverTheRecordSays() {
        String a = country(), b = country();
        String path = "/relationships/" + a + "/" + b;
        ObjectNode original = statement("INVITATION_ISSUED", a, b, T0);
        send(List.of(postedBy(original, "seoul-desk", "post")));
        RelationshipApiTest.awaitEventCount(path, 1);
        double before = metric("parley_retractions_refused_total");

        // Another desk, and a record that names nobody (written to the broker around ingest): both refused.
        ObjectNode foreign = retraction(a, b, original, T0.plusSeconds(60));
        ObjectNode unnamed = retraction(a, b, original, T0.plusSeconds(61));
        send(List.of(postedBy(foreign, "tokyo-desk", "post,retract"), record(unnamed)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertThat(metric("parley_retractions_refused_total")).isEqualTo(before + 2));
        given().get(path).then().statusCode(200).body("eventCount", org.hamcrest.Matchers.equalTo(1));
        assertThat(given().get(path + "/timeline").jsonPath().getList("entries.effect")).containsExactly("APPLIED");

        // An editor's retraction counts.
        ObjectNode editors = retraction(a, b, original, T0.plusSeconds(62));
        send(List.of(postedBy(editors, "night-editor", "editor")));
        awaitTimelineSize(path, 2);
        JsonPath timeline = given().get(path + "/timeline").then().statusCode(200).extract().jsonPath();
        assertThat(timeline.getList("entries.effect")).containsExactly("RETRACTED", "RETRACTION");
        assertThat(timeline.getList("entries.postedBy")).containsExactly("seoul-desk", "night-editor");
        assertThat(metric("parley_retractions_refused_total")).isEqualTo(before + 2);
    }

    @Test
    void thePosterRetractsItsOwnStatement() {
        String a = country(), b = country();
        String path = "/relationships/" + a + "/" + b;
        ObjectNode original = statement("INVITATION_ISSUED", a, b, T0);
        ObjectNode own = retraction(a, b, original, T0.plusSeconds(60));
        // In one batch: the original's poster is known from the batch itself.
        send(List.of(postedBy(original, "seoul-desk", "post"), postedBy(own, "seoul-desk", "post,retract")));
        awaitTimelineSize(path, 2);
        assertThat(given().get(path + "/timeline").jsonPath().getList("entries.effect")).containsExactly("RETRACTED", "RETRACTION");
    }
}
