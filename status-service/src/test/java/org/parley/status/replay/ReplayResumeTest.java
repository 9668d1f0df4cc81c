package org.parley.status.replay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.status.Corpus;
import org.parley.status.Parley;
import org.parley.status.TopicTest;
import org.parley.status.Projections;
import org.parley.status.Projections.Row;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Crash safety: a replay whose runner stops mid-way (as a kill -9 would leave it: the row RUNNING, the
 * live tables untouched) is resumed by the start-up path from the next tables' offsets, or started over
 * when they are gone, and ends with the same projections.
 */
@QuarkusTest
class ReplayResumeTest extends TopicTest {

    @Inject
    DataSource dataSource;
    @Inject
    ReplayCoordinator replays;

    @AfterEach
    void noReplayLeftRunning() {
        replays.holdSwitch(false);
        if (replays.status().active()) {
            replays.recover();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> !replays.status().active());
    }

    @Test
    void aStoppedReplayResumesFromItsOffsetsAndOneWithoutTablesStartsOver() throws Exception {
        List<String> countries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            countries.add(Parley.country());
        }
        Parley.publish(kafka, Corpus.generate(countries, 3_000, 7));
        awaitCaughtUp();
        Map<String, Row> before = Projections.snapshot(dataSource);

        // Stopped mid-way, then resumed by the start-up path.
        long processedAtStop = interrupted();
        assertThat(Projections.snapshot(dataSource)).isEqualTo(before); // the live generation is untouched
        assertThat(replays.recover()).isTrue();
        ReplayStatus resumed = replays.status();
        assertThat(resumed.mode()).isEqualTo("resumed");
        assertThat(resumed.restarts()).isEqualTo(1);
        assertThat(resumed.processed()).isGreaterThanOrEqualTo(processedAtStop);
        replays.holdSwitch(false);
        await().atMost(Duration.ofSeconds(60)).until(() -> replays.status().state().equals("DONE"));
        given().header("Authorization", ReplayTest.ADMIN).get("/admin/replay").then().statusCode(200)
                .body("mode", equalTo("resumed")).body("restarts", equalTo(1));
        awaitCaughtUp();
        assertThat(Projections.snapshot(dataSource)).isEqualTo(before);

        // Stopped, and its next tables lost: started over from offset 0.
        interrupted();
        execute("DROP TABLE statement_next");
        assertThat(replays.recover()).isTrue();
        assertThat(replays.status().mode()).isEqualTo("restarted");
        replays.holdSwitch(false);
        await().atMost(Duration.ofSeconds(60)).until(() -> replays.status().state().equals("DONE"));
        awaitCaughtUp();
        assertThat(Projections.snapshot(dataSource)).isEqualTo(before);
    }

    /** Starts a replay held before its switch, stops its runner once it has written something; returns processed. */
    private long interrupted() {
        replays.holdSwitch(true);
        given().header("Authorization", ReplayTest.ADMIN).post("/admin/replay").then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> replays.status().processed() > 0);
        replays.stopRunner();
        ReplayStatus stopped = replays.status();
        assertThat(stopped.state()).isEqualTo("RUNNING");
        // Nothing runs it any more: another start takes it over rather than running a second one.
        return stopped.processed();
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
