package org.parley.status.consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.statement;
import static org.parley.status.consumer.DeadLetterTest.metric;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.status.Management;
import org.parley.status.Parley;
import org.parley.status.TopicTest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Exactly once in effect: a consumer stopped mid-stream, or whose batches fail for a while, resumes from
 * the offsets stored with the projections, neither losing nor counting anything twice.
 */
@QuarkusTest
class RestartTest extends TopicTest {

    @Inject
    StatementConsumer consumer;
    @Inject
    DataSource dataSource;

    @AfterEach
    void running() throws SQLException {
        execute("ALTER TABLE IF EXISTS relationship_offline RENAME TO relationship");
        consumer.start();
    }

    @Test
    void aConsumerRestartedMidStreamResumesFromTheStoredOffsets() throws Exception {
        awaitCaughtUp();
        double applied = metric("parley_statements_applied_total");
        double duplicates = metric("parley_statements_duplicates_total");
        List<String> ids = relationships(6);
        List<ObjectNode> first = statements(ids, 1500, 0);
        Parley.publish(kafka, first);

        await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(30))
                .until(() -> stored(ids) > 0);
        consumer.stop();
        long atStop = stored(ids);
        assertThat(consumer.healthy()).isFalse();

        List<ObjectNode> second = new ArrayList<>(statements(ids, 500, 1500));
        second.addAll(first.subList(0, 200)); // re-deliveries of statements already applied
        Parley.publish(kafka, second);
        consumer.start();

        awaitCaughtUp();
        assertExactlyOnce(ids, 2000);
        assertThat(metric("parley_statements_applied_total") - applied).isEqualTo(2000);
        assertThat(metric("parley_statements_duplicates_total") - duplicates).isEqualTo(200);
        System.out.printf("restart test: stopped with %d of 1500 stored%n", atStop);
    }

    @Test
    void failingBatchesRollBackAndAreRetriedFromTheStoredOffsets() throws Exception {
        awaitCaughtUp();
        double applied = metric("parley_statements_applied_total");
        List<String> ids = relationships(3);
        // The projection table disappears: each batch stores its statements, then fails and rolls back.
        execute("ALTER TABLE relationship RENAME TO relationship_offline");
        Parley.publish(kafka, statements(ids, 300, 0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(Management.url("/health/group/consumer")).then()
                .statusCode(503).body("checks.find { it.name == 'statement-consumer' }.status", equalTo("DOWN"))
                // What is down, not the exception's text (the SQL error names the missing table).
                .body(not(containsString("Exception")))
                .body(not(containsString("relationship\"")))
                .body(not(containsString("ERROR"))));
        given().get(Management.url("/health/ready")).then().statusCode(200); // reads need PostgreSQL only
        assertThat(stored(ids)).isZero();

        execute("ALTER TABLE relationship_offline RENAME TO relationship");
        awaitCaughtUp();
        assertExactlyOnce(ids, 300);
        assertThat(metric("parley_statements_applied_total") - applied).isEqualTo(300);
        given().get(Management.url("/health/group/consumer")).then().statusCode(200);
        given().get(Management.url("/health/ready")).then().statusCode(200);
    }

    @Test
    void storedOffsetsMovedUnderTheConsumerAreReReadAndGoneOnFrom() throws Exception {
        awaitCaughtUp();
        List<String> ids = relationships(2);
        Parley.publish(kafka, statements(ids, 60, 0));
        awaitCaughtUp();
        double duplicates = metric("parley_statements_duplicates_total");
        // What a replay's switch does to another instance, or another consumer writing its partitions: the
        // stored offsets of its partitions are not where it left them (here: 10 records back).
        execute("UPDATE consumer_offset SET next_offset = GREATEST(0, next_offset - 10) WHERE topic = '"
                + Parley.topic() + "' AND partition IN (SELECT kafka_partition FROM statement WHERE relationship_id IN ('"
                + String.join("', '", ids) + "'))");
        Parley.publish(kafka, statements(ids, 40, 60));
        awaitCaughtUp();
        assertExactlyOnce(ids, 100);
        assertThat(metric("parley_statements_duplicates_total") - duplicates).isPositive(); // re-read, deduplicated
        assertThat(consumer.healthy()).isTrue();
    }

    /** Each relationship counts each of its statements once; the stored offsets are the log end. */
    private void assertExactlyOnce(List<String> ids, int total) throws SQLException {
        assertThat(stored(ids)).isEqualTo(total);
        int sum = 0;
        for (String id : ids) {
            int count = given().get("/relationships/" + id.substring(0, 3) + "/" + id.substring(4)).then()
                    .statusCode(200).extract().jsonPath().getInt("eventCount");
            sum += count;
        }
        assertThat(sum).isEqualTo(total);
    }

    private void awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(
                () -> assertThat(storedOffsets()).isEqualTo(Parley.endOffsets(kafka)));
    }

    private static List<String> relationships(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Parley.relationshipId(country(), country()));
        }
        return ids;
    }

    /** count statements spread over the relationships, each a new fact (NO_RESPONSE counts every time). */
    private static List<ObjectNode> statements(List<String> ids, int count, int from) {
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        List<ObjectNode> statements = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String id = ids.get(i % ids.size());
            statements.add(statement("NO_RESPONSE", id.substring(4), id.substring(0, 3), t0.plusSeconds(i)));
        }
        return statements;
    }

    private long stored(List<String> ids) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement count = c.prepareStatement(
                        "SELECT count(*) FROM statement WHERE relationship_id = ANY(?)")) {
            count.setArray(1, c.createArrayOf("text", ids.toArray(String[]::new)));
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Map<Integer, Long> storedOffsets() throws SQLException {
        Map<Integer, Long> offsets = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT partition, next_offset FROM consumer_offset WHERE topic = ?")) {
            select.setString(1, Parley.topic());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    offsets.put(rs.getInt(1), rs.getLong(2));
                }
            }
        }
        return offsets;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute(sql);
        }
    }
}
