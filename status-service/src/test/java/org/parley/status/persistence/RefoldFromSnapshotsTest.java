package org.parley.status.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.parley.contract.Statement;
import org.parley.status.ParleyConfig;
import org.parley.status.Parley;
import org.parley.status.Projections;
import org.parley.status.TopicTest;
import org.parley.status.domain.FoldKey;
import org.parley.status.domain.FoldSnapshot;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipFold;
import org.parley.status.domain.TimelineEntry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A relationship of 3,000 statements (in groups of ten sharing occurredAt and recordedAt, so eventId decides
 * their order) gets a late report and then a correction of an early statement, through the broker: each time
 * the projection equals a fold of every stored statement from the first, the stored snapshots equal those a
 * fold from the first lays, and the refold read back only the statements after the last snapshot before the
 * change (parley.refold.statements), not the whole history.
 */
@QuarkusTest
class RefoldFromSnapshotsTest extends TopicTest {
    private static final int N = 3_000;
    private static final int GROUP = 10;
    private static final Instant BASE = Instant.parse("2024-03-01T00:00:00Z");
    private static final String READ = "parley_refold_statements_total";

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;
    @Inject
    ParleyConfig config;

    @Test
    void aLateReportAndACorrectionRefoldFromTheLastSnapshotBeforeThem() throws Exception {
        String a = country(), b = country();
        String id = Parley.relationshipId(a, b);
        int interval = config.refold().snapshotInterval();
        List<ObjectNode> history = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            history.add(historyStatement(i, a, b));
        }
        publish(kafka, history);
        awaitEventCount(id, N);
        assertThat(snapshots(id)).hasSize(N / interval).isEqualTo(freshSnapshots(id, interval));

        // A late report among the tied statements of group 295 (50 statements from the end): same occurredAt
        // and recordedAt, an eventId whose top bit is set (first in java.util.UUID's order, last in PostgreSQL's).
        Instant tied = BASE.plus(Duration.ofMinutes(295));
        ObjectNode late = Parley.list(statement("CONDITIONS_REITERATED", b, a, tied), "conditions", "A late condition");
        late.put("eventId", "f" + UUID.randomUUID().toString().substring(1));
        late.put("recordedAt", tied.plusSeconds(1).toString());
        long after = atOrAfter(id, late);
        double before = Parley.metric(READ);
        publish(kafka, late);
        awaitEventCount(id, N + 1);

        assertThat(stored(id)).isEqualTo(RelationshipFold.fold(id, statements(id)));
        assertThat(snapshots(id)).isEqualTo(freshSnapshots(id, interval));
        double read = Parley.metric(READ) - before;
        assertThat(read).as("statements re-read for a late report with %d after it", after)
                .isBetween((double) after, (double) after + interval - 1);

        // A correction of the statement 400 from the end: the snapshots after it are laid again.
        String retracted = history.get(N - 400).get("eventId").asText();
        ObjectNode correction = statement("STATEMENT_RETRACTED", a, b, BASE.plus(Duration.ofDays(1)));
        correction.put("retracts", retracted);
        after = atOrAfter(id, history.get(N - 400)) + 1; // the correction itself sorts last
        before = Parley.metric(READ);
        publish(kafka, correction);
        awaitEventCount(id, N);

        Relationship now = stored(id);
        assertThat(now).isEqualTo(RelationshipFold.fold(id, statements(id)));
        assertThat(now.retractedIds()).containsExactly(UUID.fromString(retracted));
        assertThat(snapshots(id)).isEqualTo(freshSnapshots(id, interval));
        read = Parley.metric(READ) - before;
        assertThat(read).as("statements re-read for a correction with %d at or after its target", after)
                .isBetween((double) after, (double) after + interval - 1);
        assertThat(read).isLessThan(N / 5.0);
        // Each snapshot stands at a stored statement, by the database's own fold_key().
        assertThat(snapshotsWithoutTheirStatement(id)).isZero();
    }

    @Test
    void aLateReportInsideMoreTiesThanTheStreamSortsInMemory() throws Exception {
        String a = country(), b = country();
        String id = Parley.relationshipId(a, b);
        int interval = config.refold().snapshotInterval();
        int ties = FoldOrderStream.MAX_TIES + 500;
        Instant at = BASE.plus(Duration.ofDays(30));
        List<ObjectNode> history = new ArrayList<>();
        for (int i = 0; i < ties; i++) {
            ObjectNode s = Parley.list(statement("CONDITIONS_REITERATED", b, a, at), "conditions", "Condition " + (i % 3));
            s.put("recordedAt", at.plusSeconds(1).toString());
            history.add(s);
        }
        publish(kafka, history);
        awaitEventCount(id, ties);

        // Tied with all of them: only eventId places it, about the middle of the group (after the ids whose
        // top bit is set, first in java.util.UUID's signed order; before the others).
        ObjectNode late = Parley.list(statement("INCENTIVE_OFFERED", a, b, at), "incentives", "A late incentive");
        late.put("eventId", "000" + UUID.randomUUID().toString().substring(3));
        late.put("recordedAt", at.plusSeconds(1).toString());
        long after = atOrAfter(id, late);
        assertThat(after).isBetween(ties / 4L, ties * 3L / 4);
        double before = Parley.metric(READ);
        publish(kafka, late);
        awaitEventCount(id, ties + 1);

        assertThat(stored(id)).isEqualTo(RelationshipFold.fold(id, statements(id)));
        assertThat(snapshots(id)).isEqualTo(freshSnapshots(id, interval));
        assertThat(Parley.metric(READ) - before).isBetween((double) after, (double) after + interval - 1);
    }

    /** i-th statement in fold order's groups: ten share occurredAt and recordedAt, a mix of types. */
    private static ObjectNode historyStatement(int i, String a, String b) {
        Instant at = BASE.plus(Duration.ofMinutes(i / GROUP));
        ObjectNode s = switch (i % 4) {
            case 0 -> statement("INVITATION_ISSUED", a, b, at);
            case 1 -> Parley.list(statement("CONDITIONS_REITERATED", b, a, at), "conditions", "Condition " + (i % 7));
            case 2 -> Parley.list(statement("INCENTIVE_OFFERED", a, b, at), "incentives", "Incentive " + (i % 5));
            default -> statement("NO_RESPONSE", b, a, at);
        };
        s.put("recordedAt", at.plusSeconds(1).toString());
        return s;
    }

    private void awaitEventCount(String id, int count) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> eventCount(id) == count);
    }

    private int eventCount(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT event_count FROM relationship WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }

    private Relationship stored(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT state::text FROM relationship WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return json.readValue(rs.getString(1), Relationship.class);
            }
        }
    }

    private List<Statement> statements(String id) throws Exception {
        return Projections.storedStatements(dataSource, id);
    }

    /** How many stored statements (once this one is stored too) sort at or after it. */
    private long atOrAfter(String id, ObjectNode statement) throws Exception {
        FoldKey position = new FoldKey(Instant.parse(statement.get("occurredAt").asText()),
                Instant.parse(statement.get("recordedAt").asText()), UUID.fromString(statement.get("eventId").asText()));
        long stored = statements(id).stream().filter(s -> FoldKey.of(s).compareTo(position) >= 0)
                .filter(s -> !s.eventId().equals(position.eventId())).count();
        return stored + 1;
    }

    private List<FoldSnapshot> snapshots(String id) throws Exception {
        List<FoldSnapshot> snapshots = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT fold_key, state::text FROM fold_snapshot WHERE relationship_id = ? ORDER BY fold_key")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    snapshots.add(new FoldSnapshot(FoldKey.ofKey(rs.getString(1)),
                            json.readValue(rs.getString(2), Relationship.class)));
                }
            }
        }
        return snapshots;
    }

    /** The snapshots a fold from the first statement lays: every interval statements in effect. */
    private List<FoldSnapshot> freshSnapshots(String id, int interval) throws Exception {
        List<FoldSnapshot> snapshots = new ArrayList<>();
        Relationship state = RelationshipFold.initial(id);
        for (TimelineEntry entry : RelationshipFold.timeline(statements(id))) {
            state = RelationshipFold.evolve(state, entry);
            if (entry.effect() == TimelineEntry.Effect.APPLIED && state.eventCount() % interval == 0) {
                snapshots.add(new FoldSnapshot(FoldKey.of(entry.statement()), state));
            }
        }
        return snapshots;
    }

    private long snapshotsWithoutTheirStatement(String id) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT count(*) FROM fold_snapshot f WHERE f.relationship_id = ? AND NOT EXISTS (SELECT 1 FROM"
                        + " statement s WHERE s.relationship_id = f.relationship_id"
                        + " AND fold_key(s.payload, s.event_id) COLLATE \"C\" = f.fold_key)")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
