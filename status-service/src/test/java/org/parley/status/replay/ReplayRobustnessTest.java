package org.parley.status.replay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.status.Corpus;
import org.parley.status.Parley;
import org.parley.status.Projections.Row;
import org.parley.status.Projections;
import org.parley.status.TopicTest;
import org.parley.status.persistence.replay.ReplayLock;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A replay survives what operators and networks do to it: its runner's database session is lost (it stops
 * writing, and another run takes over: never two), its switch is left half-way by the database going away
 * (the runner takes it up again), it is cancelled (its tables dropped, the live generation
 * untouched), and its switch meets a long reader (it waits about a second at a time, so reads never stall
 * longer, and switches once the reader is gone).
 */
@QuarkusTest
class ReplayRobustnessTest extends TopicTest {
    static final String ADMIN = ReplayTest.ADMIN;

    @Inject
    DataSource dataSource;
    @Inject
    ReplayCoordinator replays;
    @Inject
    ObjectMapper json;

    @AfterEach
    void noReplayLeftRunning() {
        replays.holdSwitch(false);
        if (replays.status().active()) {
            replays.recover();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> !replays.status().active());
    }

    @Test
    void aRunnerThatLostItsSessionStopsWritingAndAnotherRunTakesOver() throws Exception {
        Map<String, Row> before = corpus(7);
        replays.holdSwitch(true);
        long id = given().header("Authorization", ADMIN).post("/admin/replay").then().statusCode(202).extract()
                .jsonPath().getLong("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> replays.status().processed() > 0);

        // The session holding the replay lock is cut (a network partition, a DBA's pg_terminate_backend).
        execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND classid = " + (ReplayLock.KEY >>> 32) + " AND objid = " + (ReplayLock.KEY & 0xffffffffL));
        // Its next batch is fenced: the runner stops and says why on the row, which stays RUNNING.
        Parley.publish(kafka, Corpus.generate(countries(3), 200, 108));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(replays.status().error())
                .isNotNull().contains("lost its lock"));
        assertThat(replays.status().state()).isEqualTo("RUNNING");

        // The lock went with the session: a new start takes the replay over instead of answering 409.
        given().header("Authorization", ADMIN).post("/admin/replay").then().statusCode(202)
                .body("id", equalTo((int) id)).body("mode", equalTo("resumed"));
        replays.holdSwitch(false);
        await().atMost(Duration.ofSeconds(90)).until(() -> replays.status().state().equals("DONE"));
        assertThat(replays.recover()).isFalse(); // DONE stays DONE
        assertThat(replays.status().state()).isEqualTo("DONE");
        awaitCaughtUp();
        Map<String, Row> after = Projections.snapshot(dataSource);
        assertThat(after.keySet()).containsAll(before.keySet());
        Projections.assertFoldOfTopic(after, Projections.topic(Parley.topic()), json);
    }

    @Test
    void aSwitchLeftHalfWayByTheDatabaseGoingAwayIsTakenUpAgain() throws Exception {
        corpus(9);
        replays.holdSwitch(true);
        given().header("Authorization", ADMIN).post("/admin/replay").then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> replays.status().processed() > 0);
        // What a switch attempt leaves when PostgreSQL goes away before it can set the row back to RUNNING.
        execute("UPDATE replay SET state = 'SWITCHING' WHERE state = 'RUNNING'");

        replays.holdSwitch(false);
        await().atMost(Duration.ofSeconds(90)).until(() -> replays.status().state().equals("DONE"));
        awaitCaughtUp();
        Projections.assertFoldOfTopic(Projections.snapshot(dataSource), Projections.topic(Parley.topic()), json);
    }

    @Test
    void aCancelledReplayDropsItsTablesAndLeavesTheLiveGenerationAlone() throws Exception {
        corpus(5);
        Map<String, Row> before = Projections.snapshot(dataSource);
        replays.holdSwitch(true);
        given().header("Authorization", ADMIN).post("/admin/replay").then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> replays.status().processed() > 0);

        given().header("Authorization", ADMIN).delete("/admin/replay").then().statusCode(200)
                .body("state", equalTo("CANCELLED"));
        given().header("Authorization", ADMIN).get("/admin/replay").then().statusCode(200)
                .body("state", equalTo("CANCELLED"));
        assertThat(nextTables()).isZero();
        assertThat(Projections.snapshot(dataSource)).isEqualTo(before);
        given().header("Authorization", ADMIN).delete("/admin/replay").then().statusCode(409)
                .contentType("application/problem+json");

        // Another replay may start at once, and switches as usual.
        replays.holdSwitch(false);
        given().header("Authorization", ADMIN).post("/admin/replay").then().statusCode(202);
        await().atMost(Duration.ofSeconds(90)).until(() -> replays.status().state().equals("DONE"));
        awaitCaughtUp();
        assertThat(Projections.snapshot(dataSource)).isEqualTo(before);
    }

    @Test
    void theSwitchWaitsAboutASecondAtATimeSoReadsNeverStallLonger() throws Exception {
        Map<String, Row> before = corpus(4);
        String id = before.keySet().iterator().next();
        String path = "/relationships/" + id.substring(0, 3) + "/" + id.substring(4);
        replays.holdSwitch(true);
        given().header("Authorization", ADMIN).post("/admin/replay").then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> replays.status().processed() > 0);

        AtomicLong slowest = new AtomicLong();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                long start = System.nanoTime();
                given().get(path).then().statusCode(200);
                slowest.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
            }
        });
        // A long reader holds the relationship table for 4 s: the switch cannot take it meanwhile.
        try (Connection longReader = dataSource.getConnection()) {
            longReader.setAutoCommit(false);
            try (Statement s = longReader.createStatement()) {
                s.execute("LOCK TABLE relationship IN ACCESS SHARE MODE");
                reader.start();
                replays.holdSwitch(false);
                await().atMost(Duration.ofSeconds(30)).until(() -> "SWITCHING".equals(replays.status().state()));
                await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5))
                        .until(() -> "SWITCHING".equals(replays.status().state()));
            }
            longReader.rollback();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> replays.status().state().equals("DONE"));
        reading.set(false);
        reader.join();
        // lock_timeout 1 s, plus a read's own time on a shared 2-core machine.
        assertThat(slowest.get()).isLessThan(2_500);
        awaitCaughtUp();
        assertThat(Projections.snapshot(dataSource)).isEqualTo(before);
    }

    /** seed: unique among the tests sharing the topic (the corpus's eventIds derive from it). */
    private Map<String, Row> corpus(int seed) {
        Parley.publish(kafka, Corpus.generate(countries(4), 1_500, 100 + seed));
        awaitCaughtUp();
        try {
            return Projections.snapshot(dataSource);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> countries(int n) {
        List<String> countries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            countries.add(Parley.country());
        }
        return countries;
    }

    private long nextTables() throws SQLException {
        try (Connection c = dataSource.getConnection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE '%\\_next'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<Integer, Long> ends = Parley.endOffsets(kafka);
            try (Connection c = dataSource.getConnection(); var select = c.prepareStatement(
                    "SELECT partition, next_offset FROM consumer_offset WHERE topic = ?")) {
                select.setString(1, Parley.topic());
                try (var rs = select.executeQuery()) {
                    int n = 0;
                    while (rs.next()) {
                        assertThat(rs.getLong(2)).isEqualTo(ends.get(rs.getInt(1)));
                        n++;
                    }
                    assertThat(n).isEqualTo(ends.size());
                }
            }
        });
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute(sql);
        }
    }
}
