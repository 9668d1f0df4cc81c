package org.parley.status.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.statement;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.parley.contract.Statement;
import org.parley.contract.StatementJson;
import org.parley.contract.StatementRules;
import org.parley.status.Parley;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipFold;
import org.parley.status.persistence.ProjectionWriter.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The live writer keeps the projections it wrote, but other writers share the live tables (other instances,
 * a replay's switch): a projection another writer changed since must be read again, never taken from memory.
 */
@QuarkusTest
class SharedWriterCacheTest {
    private static final Instant T0 = Instant.parse("2025-10-24T03:00:00Z");

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry registry;

    @Test
    void aProjectionAnotherWriterChangedIsReadAgainNotTakenFromTheCache() throws Exception {
        String a = country(), b = country();
        String id = Parley.relationshipId(a, b);
        String topic = "shared-writer-" + UUID.randomUUID(); // offsets of its own: no consumer fences these
        ProjectionWriter thisInstance = writer(), anotherInstance = writer();
        Statement issued = stored(statement("INVITATION_ISSUED", a, b, T0));
        Statement silent = stored(statement("NO_RESPONSE", b, a, T0.plusSeconds(60)));
        Statement accepted = stored(statement("INVITATION_ACCEPTED", b, a, T0.plusSeconds(120)));

        try {
            thisInstance.write(topic, List.of(in(issued, 0, 0)), Map.of(), Map.of(0, 1L), null);
            anotherInstance.write(topic, List.of(in(silent, 1, 0)), Map.of(), Map.of(1, 1L), null);
            thisInstance.write(topic, List.of(in(accepted, 0, 1)), Map.of(0, 1L), Map.of(0, 2L), null);

            assertThat(projection(id)).isEqualTo(RelationshipFold.fold(id, List.of(issued, silent, accepted)));
            assertThat(projection(id).eventCount()).isEqualTo(3);

            // Unchanged by anyone else since: the cached projection goes on from where it stands.
            Statement held = stored(statement("MEETING_HELD", a, b, T0.plusSeconds(180)));
            thisInstance.write(topic, List.of(in(held, 0, 2)), Map.of(0, 2L), Map.of(0, 3L), null);
            assertThat(projection(id)).isEqualTo(RelationshipFold.fold(id, List.of(issued, silent, accepted, held)));
        } finally {
            forget(id, topic); // written behind the topic's back: a replay (ReplayResumeTest) must not meet it
        }
    }

    private void forget(String id, String topic) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            for (String sql : List.of("DELETE FROM statement WHERE relationship_id = ?", "DELETE FROM relationship WHERE id = ?",
                    "DELETE FROM fold_snapshot WHERE relationship_id = ?", "DELETE FROM consumer_offset WHERE topic = ?")) {
                try (PreparedStatement delete = c.prepareStatement(sql)) {
                    delete.setString(1, sql.contains("consumer_offset") ? topic : id);
                    delete.executeUpdate();
                }
            }
        }
    }

    private ProjectionWriter writer() {
        return new ProjectionWriter(dataSource, new ProjectionRepository(Tables.LIVE, json), 100, true,
                Duration.ofSeconds(30), ProjectionWriter.Refolds.of(1000, registry, "shared-writer-test"));
    }

    private static Statement stored(ObjectNode record) {
        return StatementRules.stored(record.toString());
    }

    private static Incoming in(Statement statement, int partition, long offset) {
        return new Incoming(statement, new String(StatementJson.write(statement), StandardCharsets.UTF_8), partition, offset);
    }

    private Relationship projection(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT state::text FROM relationship WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return json.readValue(rs.getString(1), Relationship.class);
            }
        }
    }
}
