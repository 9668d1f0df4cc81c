package org.parley.status.replay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.metric;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.status.Corpus;
import org.parley.status.Parley;
import org.parley.status.TopicTest;
import org.parley.status.Projections;
import org.parley.status.Projections.Row;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Blue-green replay over a generated corpus: the rebuilt generation equals the live one, statements
 * published meanwhile are in it, reads answer 200 throughout, and the switch happens once.
 */
@QuarkusTest
class ReplayTest extends TopicTest {
    static final String ADMIN = "Bearer dev-admin-token";

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;
    @Inject
    ReplayCoordinator replays;
    @TestHTTPResource("/")
    URL base;

    @AfterEach
    void noReplayLeftRunning() {
        replays.holdSwitch(false);
        await().atMost(Duration.ofSeconds(60)).until(() -> !replays.status().active());
    }

    @Test
    void aReplayRebuildsEveryProjectionExactlyWhileReadsGoOn() throws Exception {
        List<String> countries = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            countries.add(Parley.country());
        }
        List<String> pairs = Corpus.pairs(countries);
        assertThat(pairs).hasSizeGreaterThanOrEqualTo(100);
        List<ObjectNode> corpus = Corpus.generate(countries, 10_000, 42);
        assertThat(corpus.stream().filter(s -> s.get("type").asText().equals("STATEMENT_RETRACTED")).count())
                .isGreaterThan(500);
        Parley.publish(kafka, corpus);
        awaitCaughtUp();

        Map<String, Row> before = Projections.snapshot(dataSource);
        assertThat(before.keySet()).containsAll(pairs);
        // The live generation is the pure fold of the topic (versions included), which the replay must rebuild.
        Projections.assertFoldOfTopic(before, Projections.topic(Parley.topic()), json);
        Map<String, String> snapshotsBefore = foldSnapshots();
        assertThat(snapshotsBefore).isNotEmpty();
        double switches = metric("parley_replay_switches_total");

        replays.holdSwitch(true); // caught up, it keeps following the topic until released
        Response started = given().header("Authorization", ADMIN).post("/admin/replay");
        started.then().statusCode(202).body("state", equalTo("RUNNING")).body("mode", equalTo("started"));
        long id = started.jsonPath().getLong("id");
        given().header("Authorization", ADMIN).post("/admin/replay").then().statusCode(409)
                .contentType("application/problem+json").body("status", equalTo(409));

        // Dashboards keep reading while the replay runs and switches.
        AtomicBoolean reading = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        Thread reader = reader(pairs.subList(0, 5), reading, answers);
        reader.start();

        // Published during the replay: to existing relationships and to a new one.
        String newcomer = Parley.country();
        List<ObjectNode> during = new ArrayList<>();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 200; i++) {
            String pair = pairs.get(i % 10);
            during.add(Parley.statement(i % 2 == 0 ? "NO_RESPONSE" : "INVITATION_ISSUED", pair.substring(0, 3),
                    pair.substring(4), t.plusSeconds(i)));
        }
        during.add(Parley.statement("INVITATION_ISSUED", newcomer, countries.get(0), t));
        Parley.publish(kafka, during);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ReplayStatus status = replays.status();
            assertThat(status.state()).isEqualTo("RUNNING");
            assertThat(status.position()).isNotNull().isGreaterThanOrEqualTo(status.total());
            assertThat(status.processed()).isGreaterThan(10_000);
            assertThat(status.rate()).isNotNull();
        });
        given().header("Authorization", ADMIN).get("/admin/replay").then().statusCode(200)
                .body("state", equalTo("RUNNING")).body("id", equalTo((int) id));

        replays.holdSwitch(false);
        await().atMost(Duration.ofSeconds(60)).until(() -> replays.status().state().equals("DONE"));
        awaitCaughtUp();
        reading.set(false);
        reader.join();

        assertThat(answers.keySet()).containsOnly(200);
        assertThat(answers.get(200).get()).isGreaterThan(10);
        Response done = given().header("Authorization", ADMIN).get("/admin/replay");
        done.then().statusCode(200).body("state", equalTo("DONE")).body("etaSeconds", equalTo(0));
        assertThat(done.jsonPath().getString("switchedAt")).isNotNull();
        assertThat(metric("parley_replay_switches_total") - switches).isEqualTo(1);
        assertThat(switchedReplays(id)).isEqualTo(1);

        // Untouched relationships are exactly as before; all of them are the pure fold of the topic.
        Map<String, Row> after = Projections.snapshot(dataSource);
        Set<String> touched = new TreeSet<>(pairs.subList(0, 10));
        touched.add(Parley.relationshipId(newcomer, countries.get(0)));
        Map<String, Row> untouched = new TreeMap<>(after);
        untouched.keySet().removeAll(touched);
        Map<String, Row> expected = new TreeMap<>(before);
        expected.keySet().removeAll(touched);
        assertThat(untouched).isEqualTo(expected);
        // The fold snapshots were rebuilt in the next generation and switched with it: where they stand and
        // what they hold depend on the history only, not on the batches (the live consumer's or the replay's).
        Map<String, String> snapshotsAfter = foldSnapshots();
        Map<String, String> untouchedSnapshots = new TreeMap<>(snapshotsAfter);
        untouchedSnapshots.keySet().removeIf(key -> touched.contains(key.substring(0, key.indexOf(' '))));
        Map<String, String> expectedSnapshots = new TreeMap<>(snapshotsBefore);
        expectedSnapshots.keySet().removeIf(key -> touched.contains(key.substring(0, key.indexOf(' '))));
        assertThat(untouchedSnapshots).isNotEmpty().isEqualTo(expectedSnapshots);
        Projections.assertFoldOfTopic(after, Projections.topic(Parley.topic()), json);
        for (String pair : pairs.subList(0, 10)) {
            assertThat(after.get(pair).eventCount()).isGreaterThan(before.get(pair).eventCount());
        }
        assertThat(after).containsKey(Parley.relationshipId(newcomer, countries.get(0)));
        assertLiveTablesOnly();

        // A second replay after the first (the swapped tables, their index names): same result again.
        Response second = given().header("Authorization", ADMIN).post("/admin/replay");
        second.then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> replays.status().state().equals("DONE"));
        awaitCaughtUp();
        assertThat(Projections.snapshot(dataSource)).isEqualTo(after);
        assertThat(foldSnapshots()).isEqualTo(snapshotsAfter);
        assertThat(metric("parley_replay_switches_total") - switches).isEqualTo(2);
        assertLiveTablesOnly();
    }

    @Test
    void adminCallsNeedAnAdminToken() {
        for (String method : List.of("GET", "POST")) {
            given().request(method, "/admin/replay").then().statusCode(401)
                    .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"))
                    .contentType("application/problem+json");
            given().header("Authorization", "Basic ZGV2OmRldg==").request(method, "/admin/replay").then()
                    .statusCode(401).contentType("application/problem+json");
            given().header("Authorization", "Bearer dev-ingest-token").request(method, "/admin/replay").then()
                    .statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        }
        given().header("Authorization", ADMIN).get("/admin/replay").then().statusCode(200);
    }

    /** Reads relationships in a loop until told to stop, counting the answers by status code. */
    private Thread reader(List<String> ids, AtomicBoolean reading, Map<Integer, AtomicInteger> answers) {
        HttpClient client = HttpClient.newHttpClient();
        return new Thread(() -> {
            int i = 0;
            while (reading.get()) {
                String id = ids.get(i++ % ids.size());
                try {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create(base + "relationships/" + id.substring(0, 3) + "/" + id.substring(4))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    answers.computeIfAbsent(response.statusCode(), code -> new AtomicInteger()).incrementAndGet();
                } catch (Exception e) {
                    answers.computeIfAbsent(-1, code -> new AtomicInteger()).incrementAndGet();
                }
            }
        }, "replay-test-reader");
    }

    private void awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(
                () -> assertThat(storedOffsets()).isEqualTo(Parley.endOffsets(kafka)));
    }

    private Map<Integer, Long> storedOffsets() throws SQLException {
        Map<Integer, Long> offsets = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); var select = c.prepareStatement(
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

    /** Every stored fold snapshot: "relationship fold_key" → state. */
    private Map<String, String> foldSnapshots() throws SQLException {
        Map<String, String> snapshots = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT relationship_id || ' ' || fold_key, state::text FROM fold_snapshot")) {
            while (rs.next()) {
                snapshots.put(rs.getString(1), rs.getString(2));
            }
        }
        return snapshots;
    }

    private long switchedReplays(long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*) FROM replay WHERE switched_at IS NOT NULL AND id = " + id)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** No generation left beside the live one, and the live indexes keep the names the migrations gave them. */
    private void assertLiveTablesOnly() throws SQLException {
        List<String> tables = new ArrayList<>();
        List<String> indexes = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT tablename FROM pg_tables"
                    + " WHERE schemaname = current_schema() AND (tablename LIKE '%\\_next' OR tablename LIKE '%\\_old')")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT indexname FROM pg_indexes"
                    + " WHERE schemaname = current_schema() AND tablename IN ('statement', 'relationship', 'consumer_offset', 'fold_snapshot')")) {
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
            }
        }
        assertThat(tables).isEmpty();
        assertThat(indexes).containsExactlyInAnyOrder("statement_pkey", "statement_fold_order", "statement_retraction",
                "relationship_pkey",
                "relationship_party_a", "relationship_party_b", "relationship_status", "relationship_change_seq_idx", "consumer_offset_pkey",
                "fold_snapshot_pkey");
    }
}
