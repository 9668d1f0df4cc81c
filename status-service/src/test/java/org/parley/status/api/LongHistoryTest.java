package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.parley.status.Management;
import org.parley.status.Parley;
import org.parley.status.TopicTest;
import org.parley.status.Projections;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipFold;
import org.parley.status.domain.RelationshipUpdate.Versioned;
import org.parley.status.persistence.ProjectionRepository;
import org.parley.status.persistence.Generation;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * 200,000 statements on one relationship (the history that once ended the service with OutOfMemoryError):
 * the timeline pages through all of them in fold order, asOf folds them and a late report refolds them,
 * while the service keeps its heap. The statements are written straight into the statement table as the consumer stores them (set-based
 * SQL: publishing 200,000 through Kafka would only slow the test), 50,000 of them in groups of 2,500 that
 * share one occurredAt, more than a page sorts in memory.
 */
@QuarkusTest
class LongHistoryTest extends TopicTest {
    private static final int N = 200_000;
    private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;

    @Test
    void pagedTimelineAndAsOfOverTwoHundredThousandStatements() throws Exception {
        String a = country(), b = country();
        String id = Parley.relationshipId(a, b);
        publish(kafka, statement("INVITATION_ISSUED", a, b, BASE.minus(Duration.ofDays(1))));
        String path = "/relationships/" + a + "/" + b;
        // the first statement of this app: the consumer may still be joining its group
        await().atMost(Duration.ofSeconds(120)).untilAsserted(
                () -> given().get(path).then().statusCode(200).body("eventCount", equalTo(1)));
        String retracted = insertHistory(id, a, b);
        try {
            // asOf: 50,000 tied statements (one of them retracted) and 10 more had occurred by then.
            given().queryParam("asOf", BASE.plus(Duration.ofMinutes(30)).toString()).get(path).then().statusCode(200)
                    .body("status", equalTo("CONDITIONS_SET"))
                    .body("awaitingResponseFrom", equalTo(a))
                    .body("eventCount", equalTo(1 + 50_009))
                    .body("conditions." + b + "[0].timesStated", equalTo(50_009));
            given().queryParam("asOf", "2100-01-01T00:00:00Z").get(path).then().statusCode(200)
                    .body("eventCount", equalTo(1 + N - 1))
                    .body("conditions." + b + "[0].timesStated", equalTo(N - 1));

            // Every page, in fold order, each statement once.
            Set<String> seen = new HashSet<>();
            String cursor = null;
            Map<String, Object> previous = null;
            int pages = 0;
            do {
                var request = given().queryParam("limit", 1000);
                if (cursor != null) {
                    request.queryParam("cursor", cursor);
                }
                Response page = request.get(path + "/timeline");
                page.then().statusCode(200);
                // Jackson rather than RestAssured's GPath, which is slow on 1,000-entry documents.
                Map<String, Object> body = JSON.readValue(page.asByteArray(), new TypeReference<>() {
                });
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> entries = (List<Map<String, Object>>) body.get("entries");
                assertThat(entries).hasSizeBetween(1, 1000);
                for (Map<String, Object> entry : entries) {
                    if (previous != null) {
                        assertThat(foldOrder(previous, entry)).as("%s before %s", previous, entry).isNegative();
                    }
                    assertThat(seen.add((String) entry.get("eventId"))).isTrue();
                    if (entry.get("eventId").equals(retracted)) {
                        assertThat(entry.get("effect")).isEqualTo("RETRACTED");
                    }
                    previous = entry;
                }
                cursor = (String) body.get("next");
                pages++;
            } while (cursor != null);
            assertThat(seen).hasSize(1 + N + 1);
            assertThat(pages).isEqualTo(201);

            given().get(Management.url("/health/live")).then().statusCode(200);
            given().get(path).then().statusCode(200).body("eventCount", equalTo(1));

            // A late report, sorting before everything folded so far: the relationship is refolded from its
            // stored history, all 200,000 streamed, while the service stays up. (The history was inserted
            // behind the projection's back, so its one correction is not among the retractions the projection
            // knows, which the consumer always records with the statement: hence at least, not exactly.)
            publish(kafka, statement("NO_RESPONSE", b, a, BASE.minus(Duration.ofDays(2))));
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().get(path).then().statusCode(200)
                    .body("eventCount", greaterThanOrEqualTo(1 + N - 1 + 1)));
            given().get(Management.url("/health/live")).then().statusCode(200);
        } finally {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement delete = c.prepareStatement("DELETE FROM statement WHERE relationship_id = ? AND kafka_offset < 0");
                    PreparedStatement snapshots = c.prepareStatement("DELETE FROM fold_snapshot WHERE relationship_id = ?")) {
                delete.setString(1, id);
                delete.executeUpdate();
                snapshots.setString(1, id); // the late report's refold laid one every 3 statements (test profile)
                snapshots.executeUpdate();
                // The late report folded the inserted history into the projection: put back the fold of what the
                // topic holds, as a replay (ReplayResumeTest compares every projection with one) rebuilds it.
                // The version already counts only the published statements.
                restorePublishedFold(c, id);
            }
        }
    }

    private void restorePublishedFold(Connection c, String id) throws Exception {
        long version;
        try (PreparedStatement versionOf = c.prepareStatement("SELECT version FROM relationship WHERE id = ?")) {
            versionOf.setString(1, id);
            try (ResultSet rs = versionOf.executeQuery()) {
                rs.next();
                version = rs.getLong(1);
            }
        }
        Relationship published = RelationshipFold.fold(id, Projections.storedStatements(dataSource, id));
        new ProjectionRepository(Generation.LIVE, json).saveProjections(c, List.of(new Versioned(published, version)));
    }

    /** Inserts the history; returns the eventId of the statement the history's one correction retracts. */
    private String insertHistory(String id, String a, String b) throws Exception {
        String seed = UUID.randomUUID().toString();
        String payload = "jsonb_build_object('eventId', e::text, 'type', t, 'source', ?, 'target', ?,"
                + " 'occurredAt', to_char(o AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                + " 'recordedAt', to_char(o AT TIME ZONE 'UTC' + interval '1 second', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))";
        String sql = "INSERT INTO statement (event_id, relationship_id, type, source, target, occurred_at, recorded_at,"
                + " kafka_partition, kafka_offset, payload)"
                + " SELECT e, ?, t, ?, ?, o, o + interval '1 second', 0, -i, " + payload
                + " || CASE WHEN t = 'STATEMENT_RETRACTED' THEN jsonb_build_object('retracts', md5(? || 10)::uuid::text)"
                + "    ELSE jsonb_build_object('conditions', jsonb_build_array('Recognition as a nuclear power')) END"
                + " FROM (SELECT i, md5(? || i)::uuid AS e,"
                + "   CASE WHEN i > ? THEN 'STATEMENT_RETRACTED' ELSE 'CONDITIONS_REITERATED' END AS t,"
                + "   ?::timestamptz + interval '1 minute' * CASE WHEN i <= 50000 THEN (i - 1) / 2500 ELSE 20 + i - 50000 END AS o"
                + "   FROM generate_series(1, ? + 1) AS i) AS g";
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            int p = 1;
            insert.setString(p++, id);
            insert.setString(p++, b);
            insert.setString(p++, a);
            insert.setString(p++, b);
            insert.setString(p++, a);
            insert.setString(p++, seed);
            insert.setString(p++, seed);
            insert.setInt(p++, N);
            insert.setString(p++, BASE.toString());
            insert.setInt(p, N);
            assertThat(insert.executeUpdate()).isEqualTo(N + 1);
            // What autovacuum does after such growth: without statistics the planner would think the
            // relationship small.
            try (var analyze = c.createStatement()) {
                analyze.execute("ANALYZE statement");
            }
            try (PreparedStatement select = c.prepareStatement("SELECT md5(? || 10)::uuid::text")) {
                select.setString(1, seed);
                try (var rs = select.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        }
    }

    private static int foldOrder(Map<String, Object> x, Map<String, Object> y) {
        int c = Instant.parse((String) x.get("occurredAt")).compareTo(Instant.parse((String) y.get("occurredAt")));
        if (c == 0) {
            c = Instant.parse((String) x.get("recordedAt")).compareTo(Instant.parse((String) y.get("recordedAt")));
        }
        return c != 0 ? c : UUID.fromString((String) x.get("eventId")).compareTo(UUID.fromString((String) y.get("eventId")));
    }
}
