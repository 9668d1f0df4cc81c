package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.Projections;
import org.parley.status.TopicTest;
import org.parley.status.domain.RelationshipFold;
import org.parley.status.view.RelationshipView;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * ?asOf over a long history costs about one snapshot interval (production's 1,000 here), not the history: each
 * answer within a second, and equal to the fold of the whole stored history in memory. N statements (20,000;
 * -Dasof-test.statements=200000 to measure the case) are written straight into the statement
 * table, then a late report refolds the relationship, laying its snapshots as the consumer does.
 */
@QuarkusTest
@TestProfile(AsOfLongHistoryTest.ProductionSnapshots.class)
class AsOfLongHistoryTest extends TopicTest {
    private static final Logger LOG = Logger.getLogger(AsOfLongHistoryTest.class);
    private static final int N = Integer.getInteger("asof-test.statements", 20_000);
    private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");

    public static class ProductionSnapshots implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.refold.snapshot-interval", "1000");
        }
    }

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;

    @Test
    void asOfReadsAboutOneSnapshotInterval() throws Exception {
        String a = country(), b = country();
        String id = Parley.relationshipId(a, b);
        String path = "/relationships/" + a + "/" + b;
        publish(kafka, statement("INVITATION_ISSUED", a, b, BASE.minus(Duration.ofDays(1))));
        await().atMost(Duration.ofSeconds(120)).untilAsserted(
                () -> given().get(path).then().statusCode(200).body("eventCount", equalTo(1)));
        LongHistory.insert(dataSource, id, a, b, N, BASE);
        // sorts before everything folded so far: a refold from the first statement
        publish(kafka, statement("NO_RESPONSE", b, a, BASE.minus(Duration.ofDays(2))));
        await().atMost(Duration.ofSeconds(300)).untilAsserted(
                () -> given().get(path).then().statusCode(200).body("eventCount", equalTo(2 + N)));
        // Corrections through the topic, as they come: each refolds from the snapshot before its target.
        List<Integer> retracted = List.of(N / 10, N / 2, N / 2 + 1, 3 * N / 4, N - 1);
        for (int i : retracted) {
            publish(kafka, statement("STATEMENT_RETRACTED", a, b, BASE.plus(Duration.ofDays(365 * 60)))
                    .put("retracts", eventId(id, i)));
        }
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().get(path).then().statusCode(200)
                .body("eventCount", equalTo(2 + N - retracted.size())));

        List<org.parley.contract.Statement> stored = N <= 50_000 ? Projections.storedStatements(dataSource, id) : null;
        for (Instant asOf : List.of(BASE.plusSeconds(60L * (N / 2) + 30), BASE.plusSeconds(60L * (N - 1)),
                BASE.plus(Duration.ofDays(365 * 50)), BASE.minusSeconds(1))) {
            long started = System.nanoTime();
            byte[] body = given().queryParam("asOf", asOf.toString()).get(path).then().statusCode(200).extract()
                    .asByteArray();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.infof("asOf %s over %,d statements: %d ms", asOf, N, took.toMillis());
            assertThat(took).as("asOf %s", asOf).isLessThan(Duration.ofSeconds(1));
            if (stored != null) {
                JsonNode expected = json.valueToTree(RelationshipView.of(RelationshipFold.foldAsOf(id, stored, asOf), null, null));
                assertThat(json.readTree(body)).as("asOf %s", asOf).isEqualTo(expected);
            }
        }
        assertThat(snapshots(id)).isGreaterThanOrEqualTo(N / 1000 - 2);
    }

    /** The id of the i-th inserted statement. */
    private String eventId(String id, int i) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT event_id::text FROM statement WHERE relationship_id = ? AND kafka_offset = ?")) {
            select.setString(1, id);
            select.setLong(2, -i);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private long snapshots(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement count = c.prepareStatement("SELECT count(*) FROM fold_snapshot WHERE relationship_id = ?")) {
            count.setString(1, id);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
