package org.parley.status.feed;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.Projections;
import org.parley.status.TopicTest;
import org.parley.status.domain.RelationshipUpdate.Versioned;
import org.parley.status.persistence.Generation;
import org.parley.status.persistence.ProjectionRepository;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipFold;
import org.parley.contract.StatementRules;
import org.parley.status.persistence.ChangeFeed;
import org.parley.status.persistence.ChangeFeed.Change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Several instances share one database: each consumes some partitions, yet every instance's streams must carry
 * every change. Here "another instance" is real in the parts that matter: its own JDBC connection committing a
 * projection change with the change feed's NOTIFY (as its writer does), and its own LISTEN connection hearing
 * the changes this instance's consumer writes.
 */
@QuarkusTest
class AnotherInstanceTest extends TopicTest {
    private static final Instant T0 = Instant.parse("2025-10-24T03:00:00Z");
    private static final ObjectMapper PLAIN = new ObjectMapper();

    @Inject
    ObjectMapper json;
    @Inject
    DataSource dataSource;

    private static Connection plainConnection() throws Exception {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getOptionalValue("quarkus.datasource.username", String.class).orElse(""),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }

    /** What another instance's writer does for a relationship it owns: upsert the projection and stamp it. */
    private void writeAsAnotherInstance(Connection c, String a, String b) throws Exception {
        var issued = StatementRules.stored(statement("INVITATION_ISSUED", a, b, T0).toString());
        Relationship r = RelationshipFold.fold(issued.relationshipId(), List.of(issued));
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO relationship (id, party_a, party_b, status,"
                + " state, event_count, last_event_at, version, updated_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, now(), 1, now())")) {
            upsert.setString(1, r.id());
            upsert.setString(2, r.parties().get(0));
            upsert.setString(3, r.parties().get(1));
            upsert.setString(4, r.status().name());
            upsert.setString(5, json.writeValueAsString(r));
            upsert.setInt(6, r.eventCount());
            upsert.executeUpdate();
        }
        ChangeFeed.stamp(c, "relationship", List.of(r.id()));
    }

    @Test
    void aChangeCommittedByAnotherInstanceReachesThisInstancesStreamOnCommitOnly() throws Exception {
        String party = country(), first = country(), second = country();
        try (var stream = EventStream.open("/relationships/stream?party=" + party);
                Connection other = plainConnection()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments().contains("parley stream"));
            other.setAutoCommit(false);
            writeAsAnotherInstance(other, party, first);
            // Written and notified, not committed: nothing may be sent.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> stream.dataEvents().isEmpty());
            other.rollback();
            writeAsAnotherInstance(other, party, second);
            other.commit();

            await().atMost(Duration.ofSeconds(15)).until(() -> !stream.dataEvents().isEmpty());
            JsonNode summary = PLAIN.readTree(stream.dataEvents().get(0).data());
            assertThat(summary.get("id").asText()).isEqualTo(Parley.relationshipId(party, second));
            assertThat(summary.get("status").asText()).isEqualTo("INVITATION_OPEN");
            // the rolled-back change never arrives
            assertThat(stream.dataEvents()).hasSize(1);
        } finally {
            // The row is on no topic: leave the database the pure fold of the topic that other tests check.
            try (Connection c = plainConnection(); PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM relationship WHERE id = ?")) {
                delete.setString(1, Parley.relationshipId(party, second));
                delete.executeUpdate();
            }
        }
    }

    @Test
    void anotherInstancesListenerHearsThisInstancesChangesAndRereadsAfterLosingItsConnection() throws Exception {
        ChangeListener other = new ChangeListener();
        var config = ConfigProvider.getConfig();
        other.url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        other.user = config.getOptionalValue("quarkus.datasource.username", String.class).orElse("");
        other.password = config.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
        other.recheck = Duration.ofMinutes(5); // only notifications and reconnects make it read here
        List<Change> heard = new CopyOnWriteArrayList<>();
        other.addSink(heard::addAll);
        other.onStart(null);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> other.seen() >= 0);
            String a = country(), b = country();
            String id = Parley.relationshipId(a, b);
            publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
            await().atMost(Duration.ofSeconds(30)).until(() -> heard.stream().anyMatch(c -> c.id().equals(id)));
            Change change = heard.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
            assertThat(change.version()).isEqualTo(1);
            assertThat(change.status()).isEqualTo("INVITATION_OPEN");

            EventStream here = EventStream.open("/relationships/" + a + "/" + b + "/stream");
            await().atMost(Duration.ofSeconds(10)).until(() -> here.dataEvents().size() == 1);
            // Every listener loses its connection; a change committed meanwhile is read after reconnecting.
            try (Connection admin = plainConnection(); Statement s = admin.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE application_name = 'parley-change-listener' AND pid <> pg_backend_pid()");
            }
            publish(kafka, statement("NO_RESPONSE", b, a, T0.plusSeconds(60)));
            await().atMost(Duration.ofSeconds(30)).until(() -> heard.stream()
                    .anyMatch(c -> c.id().equals(id) && c.version() == 2 && c.status().equals("NO_RESPONSE")));
            // and this instance's own listener came back too
            await().atMost(Duration.ofSeconds(30)).until(() -> here.dataEvents().size() == 2);
            assertThat(PLAIN.readTree(here.dataEvents().get(1).data()).get("version").asLong()).isEqualTo(2);
            here.close();
        } finally {
            other.onStop(null);
        }
    }

    /** This instance's writer remembers the projections it wrote; one that another instance changed since is read back. */
    @Test
    void aProjectionAnotherInstanceChangedSinceThisInstanceWroteItIsFoldedFromTheStoredRow() throws Exception {
        String a = country(), b = country();
        String id = Parley.relationshipId(a, b);
        String path = "/relationships/" + a + "/" + b;
        publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(path).then().statusCode(200));
        // Another instance folds a second statement into the row and numbers the change, as its writer does.
        Relationship two = RelationshipFold.fold(id, List.of(
                StatementRules.stored(statement("INVITATION_ISSUED", a, b, T0).toString()),
                StatementRules.stored(statement("NO_RESPONSE", b, a, T0.plusSeconds(60)).toString())));
        try (Connection other = plainConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement update = other.prepareStatement("UPDATE relationship SET state = ?::jsonb,"
                    + " status = ?, event_count = ?, version = 2 WHERE id = ?")) {
                update.setString(1, json.writeValueAsString(two));
                update.setString(2, two.status().name());
                update.setInt(3, two.eventCount());
                update.setString(4, id);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
            ChangeFeed.stamp(other, "relationship", List.of(id));
            other.commit();
        }
        try {
            publish(kafka, statement("INVITATION_ACCEPTED", b, a, T0.plusSeconds(120)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(path).then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("ACCEPTED")));
            JsonNode view = PLAIN.readTree(given().get(path).then().extract().asString());
            assertThat(view.get("version").asLong()).isEqualTo(3); // on top of the other instance's version 2
            assertThat(view.get("eventCount").asInt()).isEqualTo(3);
        } finally {
            // The other instance's statement is on no topic: put back the fold of what the topic holds, as a
            // replay rebuilds it (ReplayResumeTest compares every projection with one).
            List<org.parley.contract.Statement> stored = Projections.storedStatements(dataSource, id);
            try (Connection c = dataSource.getConnection()) {
                new ProjectionRepository(Generation.LIVE, json).saveProjections(c,
                        List.of(new Versioned(RelationshipFold.fold(id, stored), stored.size())));
            }
        }
    }
}
