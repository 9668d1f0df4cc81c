package org.parley.status.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.parley.contract.StatementRules;
import org.parley.status.domain.FoldKey;
import org.parley.status.domain.TimelineEntry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A relationship's whole history for the exports and the provenance, read in chunks of fold order: each chunk
 * on a connection of its own, given back before the caller writes a byte, so that a slow client never holds a
 * connection and memory holds one chunk. The effects come from the retracted ids read once up front (no
 * correction probe per row).
 */
@ApplicationScoped
public class HistoryReader {
    /** Statements per chunk. */
    public static final int CHUNK = 1000;

    private final Generation tables = Generation.LIVE;

    @Inject
    DataSource dataSource;

    /** Every id the relationship's stored corrections name. */
    public Set<UUID> retractedIds(String id) {
        return query("corrections of " + id, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT lower(payload->>'retracts') FROM "
                    + tables.statement() + " WHERE relationship_id = ? AND type = 'STATEMENT_RETRACTED'")) {
                select.setString(1, id);
                Set<UUID> ids = new HashSet<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        ids.add(UUID.fromString(rs.getString(1)));
                    }
                }
                return ids;
            }
        });
    }

    /** Where a stored statement of the relationship stands in fold order; empty if it has none by that id. */
    public Optional<FoldKey> position(String id, UUID eventId) {
        return query("statement " + eventId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT payload::text FROM " + tables.statement()
                    + " WHERE event_id = ? AND relationship_id = ?")) {
                select.setObject(1, eventId);
                select.setString(2, id);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(FoldKey.of(StatementRules.stored(rs.getString(1))))
                            : Optional.empty();
                }
            }
        });
    }

    /**
     * The next at most {@link #CHUNK} statements after `after` (null: from the first) in fold order, each with
     * its effect given the relationship's retracted ids. Fewer than CHUNK: the end of the history.
     */
    public List<TimelineEntry> chunk(String id, FoldKey after, Set<UUID> retracted) {
        return query("statements of " + id, c -> {
            List<TimelineEntry> entries = new ArrayList<>(CHUNK);
            c.setAutoCommit(false); // pgjdbc fetches in parts only inside a transaction; nothing is written
            try {
                FoldOrderStream.forRefold(c, tables, id, after, retracted, entry -> {
                    entries.add(entry);
                    return entries.size() < CHUNK;
                }).run();
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
            return entries;
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
}
