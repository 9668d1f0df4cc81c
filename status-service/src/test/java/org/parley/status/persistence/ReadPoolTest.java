package org.parley.status.persistence;

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
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TopicTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * Reads take their connections from their own pool: when it is exhausted or a read runs past its
 * statement_timeout, readers get 503 with Retry-After, and the fold goes on with its own connections.
 */
@QuarkusTest
@TestProfile(ReadPoolTest.OneReadConnection.class)
class ReadPoolTest extends TopicTest {
    private static final Instant T0 = Instant.parse("2025-12-01T00:00:00Z");

    public static class OneReadConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reads.jdbc.max-size", "1",
                    "parley.read.acquisition-timeout", "1s",
                    "parley.read.statement-timeout", "1500ms");
        }
    }

    @Inject
    DataSource fold;

    @Inject
    @io.quarkus.agroal.DataSource(ReadPool.NAME)
    DataSource reads;

    @Test
    void readsOutOfConnectionsAre503WhileTheFoldGoesOn() throws Exception {
        String a = country(), b = country(), c = country(), d = country();
        String path = "/relationships/" + a + "/" + b;
        publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().get(path).then().statusCode(200));

        try (Connection held = reads.getConnection()) { // the reads' only connection
            assertThat(held.isValid(1)).isTrue();
            given().get(path).then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "5").body("status", equalTo(503));
            given().queryParam("asOf", "2025-12-02T00:00:00Z").get(path).then().statusCode(503);
            given().get(path + "/timeline").then().statusCode(503);

            publish(kafka, statement("INVITATION_ISSUED", c, d, T0));
            await().atMost(Duration.ofSeconds(30)).until(() -> stored(Parley.relationshipId(c, d)));
        }
        given().get("/relationships/" + c + "/" + d).then().statusCode(200).body("eventCount", equalTo(1));
    }

    @Test
    void aReadPastItsStatementTimeoutIs503() throws Exception {
        String a = country(), b = country();
        String path = "/relationships/" + a + "/" + b;
        publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().get(path).then().statusCode(200));
        try (Connection c = reads.getConnection(); Statement show = c.createStatement();
                ResultSet rs = show.executeQuery("SHOW statement_timeout")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("1500ms");
        }

        // A lock that every read of the projections waits behind: the read gives up at its statement_timeout.
        try (Connection locker = fold.getConnection()) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE relationship IN ACCESS EXCLUSIVE MODE");
                long started = System.nanoTime();
                given().get(path).then().statusCode(503).contentType("application/problem+json")
                        .header("Retry-After", "5");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            } finally {
                locker.rollback();
            }
        }
        given().get(path).then().statusCode(200);
    }

    private boolean stored(String id) throws Exception {
        try (Connection c = fold.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT 1 FROM relationship WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }
}
