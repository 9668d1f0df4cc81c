package org.parley.status.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.parley.status.domain.FoldKey;
import org.parley.status.domain.FoldSnapshot;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipFold;
import org.parley.status.domain.TimelineEntry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Every read the HTTP API makes, in plain JDBC on the live {@link Generation}: short autocommit reads (no ORM
 * session, no JTA — GET /relationships/{a}/{b} is the path dashboards poll), and a relationship's history
 * streamed in fold order so that no request holds all of it. Failures are {@link ReadFailedException}s.
 */
@ApplicationScoped
public class RelationshipReads {

    /** What a 304 needs: the projection's version and when it was written. */
    public record Head(long version, Instant updatedAt) {
    }

    /** The projection as stored: the domain Relationship as JSON text (jsonb's canonical form). */
    public record Stored(String state, long version, Instant updatedAt) {
    }

    /** One row of the list; lastEventAt exact (from the state: the column keeps microseconds only). */
    public record Summary(String id, String partyA, String partyB, String status, int eventCount, String lastEventAt) {
    }

    private final Generation tables = Generation.LIVE;

    @Inject
    @io.quarkus.agroal.DataSource(ReadPool.NAME)
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    public Optional<Head> head(String id) {
        return query("relationship " + id, c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT version, updated_at FROM " + tables.relationship() + " WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(new Head(rs.getLong(1), instant(rs, 2))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Whether the relationship's stored version is still known (a held long-poll's check); false when it is not
     * or cannot be read: the resource then reads again and answers (or fails) on its own.
     */
    public boolean stillAt(String id, long known) {
        try {
            return head(id).map(head -> head.version() == known).orElse(false);
        } catch (ReadFailedException e) {
            return false;
        }
    }

    public Optional<Stored> stored(String id) {
        return query("relationship " + id, c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT state::text, version, updated_at FROM " + tables.relationship() + " WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(new Stored(rs.getString(1), rs.getLong(2), instant(rs, 3)))
                            : Optional.empty();
                }
            }
        });
    }

    /** Sorted by id; party and status null for any. */
    public List<Summary> list(String party, String status, int limit, int offset) {
        String sql = "SELECT id, party_a, party_b, status, event_count, state->'lastEvent'->>'occurredAt' FROM "
                + tables.relationship() + " WHERE (?::text IS NULL OR party_a = ? OR party_b = ?)"
                + " AND (?::text IS NULL OR status = ?) ORDER BY id LIMIT ? OFFSET ?";
        return query("relationships", c -> {
            try (PreparedStatement select = c.prepareStatement(sql)) {
                select.setString(1, party);
                select.setString(2, party);
                select.setString(3, party);
                select.setString(4, status);
                select.setString(5, status);
                select.setInt(6, limit);
                select.setInt(7, offset);
                List<Summary> rows = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Summary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getInt(5), rs.getString(6)));
                    }
                }
                return rows;
            }
        });
    }

    /**
     * Hands the relationship's stored statements to sink in fold order, each with its effect, until sink
     * returns false. after: only those past it (null: from the first); until: only those that had occurred by
     * then (null: all). Memory stays bounded whatever the history's length.
     */
    public void inFoldOrder(String id, FoldKey after, Instant until, Predicate<TimelineEntry> sink) {
        query("statements of " + id, c -> {
            // pgjdbc fetches setFetchSize rows at a time only inside a transaction; nothing is written.
            c.setAutoCommit(false);
            try {
                new FoldOrderStream(c, tables, id, after, until, sink).run();
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
            return null;
        });
    }

    /**
     * The relationship as it stood at asOf (the statements that had occurred by then, each with its effect from
     * every stored correction): from the fold snapshot nearest before the cut-off, as a refold resumes, so that
     * it reads at most about one snapshot interval of statements plus the corrections, whatever the history's
     * length. One repeatable-read transaction: the corrections, the snapshot and the statements agree.
     */
    public Relationship asOf(String id, Instant asOf) {
        return atEnds(id, List.of(asOf)).get(0);
    }

    /**
     * The relationship as it stood at each of ends (ascending), as {@link #asOf} would answer for each, in one
     * repeatable-read transaction on one connection: it folds on from one end to the next, and jumps to a
     * fold snapshot only when one lies beyond what it has folded, so it reads at most the statements up to the
     * last end and at most about one snapshot interval per end.
     */
    public List<Relationship> atEnds(String id, List<Instant> ends) {
        ProjectionRepository repository = new ProjectionRepository(tables, json);
        return query("statements of " + id, c -> {
            c.setAutoCommit(false);
            try (PreparedStatement isolation = c.prepareStatement(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")) {
                isolation.execute();
                Set<UUID> retracted = repository.retractedIds(c, id);
                Relationship[] then = { RelationshipFold.initial(id) };
                FoldKey[] folded = { null };
                List<Relationship> states = new ArrayList<>(ends.size());
                for (Instant end : ends) {
                    Optional<FoldSnapshot> snapshot = repository.lastSnapshotBy(c, id, end);
                    if (snapshot.isPresent() && (folded[0] == null || snapshot.get().position().compareTo(folded[0]) > 0)) {
                        // The snapshot's state carries no retractedIds, as the fold entry by entry from initial does not.
                        then[0] = snapshot.get().state();
                        folded[0] = snapshot.get().position();
                    }
                    FoldOrderStream.forAsOf(c, tables, id, folded[0], end, retracted, entry -> {
                        then[0] = RelationshipFold.evolve(then[0], entry);
                        folded[0] = FoldKey.of(entry.statement());
                        return true;
                    }).run();
                    states.add(then[0]);
                }
                return states;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a fold snapshot of " + id + " is unreadable", e);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        });
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T query(String what, Query<T> query) {
        try (Connection c = dataSource.getConnection()) {
            return query.run(c);
        } catch (SQLException e) {
            throw new ReadFailedException("cannot read " + what, e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
