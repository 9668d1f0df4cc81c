package org.parley.status.replay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.status.Corpus;
import org.parley.status.Parley;
import org.parley.status.Projections;
import org.parley.status.TopicTest;
import org.parley.status.persistence.replay.ReplayLock;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * A replay whose runner lost its lock's database session (PostgreSQL restarted, a network cut) is taken over
 * without a restart or an operator: the periodic check finds it active and unheld, resumes it, and it switches.
 */
@QuarkusTest
@TestProfile(ReplayTakeoverTest.FastTakeover.class)
class ReplayTakeoverTest extends TopicTest {

    public static class FastTakeover implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String run = UUID.randomUUID().toString();
            return Map.of("parley.topic", "diplomatic-statements-takeover-" + run, "parley.consumer.group",
                    "status-takeover-" + run, "parley.replay.takeover-check", "1s");
        }
    }

    @Inject
    DataSource dataSource;
    @Inject
    ReplayCoordinator replays;
    @Inject
    ObjectMapper json;

    @BeforeAll
    static void createTopic() {
        if (!kafka.topics().list().contains(Parley.topic())) {
            kafka.topics().createAndWait(Parley.topic(), Parley.PARTITIONS, Duration.ofSeconds(30));
        }
    }

    @Test
    void aReplayWhoseLockSessionWasLostIsTakenOverAndSwitches() throws Exception {
        List<String> countries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            countries.add(Parley.country());
        }
        Parley.publish(kafka, Corpus.generate(countries, 1_500, 301));
        replays.holdSwitch(true);
        long id = given().header("Authorization", ReplayTest.ADMIN).post("/admin/replay").then().statusCode(202)
                .extract().jsonPath().getLong("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> replays.status().processed() > 0);

        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND classid = " + (ReplayLock.KEY >>> 32) + " AND objid = " + (ReplayLock.KEY & 0xffffffffL));
        }
        // The fenced runner stops; the check takes the replay over (a restart of the same row) on its own.
        Parley.publish(kafka, Corpus.generate(countries, 100, 302));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(replays.status().restarts()).isPositive());

        replays.holdSwitch(false);
        await().atMost(Duration.ofSeconds(90)).until(() -> replays.status().state().equals("DONE"));
        assertThat(replays.status().id()).isEqualTo(id);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Projections.assertFoldOfTopic(
                Projections.snapshot(dataSource), Projections.topic(Parley.topic()), json));
    }
}
