package org.parley.status.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outbox of relationship changes (relationship_change, V8__webhooks.sql): the projection writer appends
 * one row per changed relationship in its transaction, in the statement that numbers it
 * ({@link ProjectionRepository#saveLiveProjections}), so a change is in the outbox exactly when it is committed. The relay and the webhook dispatcher read it in change order.
 */
public final class ChangeOutbox {

    /**
     * One committed change; statusBefore is null for a relationship's first projection, causeType (the type of
     * the statement that caused it) when the cause is unknown or no longer stored.
     */
    public record Change(long seq, String relationshipId, String partyA, String partyB, String statusBefore,
            String statusAfter, long version, UUID causeEventId, String causeType, Instant changedAt) {
    }

    /** What the writer knows of a changed relationship that the row does not: its status before, the cause. */
    public record Before(String status, UUID cause) {
    }

    private ChangeOutbox() {
    }

    /**
     * In a replay's switch transaction, after ChangeFeed.renumberAfterSwitch: every live row numbered anew is a
     * change (before: the old generation's status; cause: the last statement in effect).
     */
    public static void appendAfterSwitch(Connection c, String live, String old) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO relationship_change (change_seq,"
                + " relationship_id, party_a, party_b, status_before, status_after, version, cause_event_id,"
                + " changed_at) SELECT r.change_seq, r.id, r.party_a, r.party_b, o.status, r.status, r.version,"
                + " (r.state->'lastEvent'->>'eventId')::uuid, r.updated_at FROM " + live + " r LEFT JOIN " + old
                + " o ON o.id = r.id WHERE r.change_seq > coalesce((SELECT max(change_seq) FROM"
                + " relationship_change), 0) ON CONFLICT (change_seq) DO NOTHING")) {
            insert.executeUpdate();
        }
    }

    /** The changes after seq, oldest first, at most limit. */
    public static List<Change> after(Connection c, long seq, int limit) throws SQLException {
        List<Change> changes = new ArrayList<>();
        // The cause's type by key, per row of the page: a join would let the planner hash the whole statement table.
        try (PreparedStatement select = c.prepareStatement("SELECT x.change_seq, x.relationship_id, x.party_a,"
                + " x.party_b, x.status_before, x.status_after, x.version, x.cause_event_id,"
                + " (SELECT s.type FROM statement s WHERE s.event_id = x.cause_event_id), x.changed_at"
                + " FROM (SELECT * FROM relationship_change WHERE change_seq > ? ORDER BY change_seq LIMIT ?) x"
                + " ORDER BY x.change_seq")) {
            select.setLong(1, seq);
            select.setInt(2, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    changes.add(new Change(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getLong(7), rs.getObject(8, UUID.class),
                            rs.getString(9), rs.getObject(10, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return changes;
    }

    /** The newest change (0: none). */
    public static long latest(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(change_seq), 0) FROM relationship_change");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Deletes up to limit changes older than retention that every reader has passed (at or below the lowest
     * cursor); returns how many. A cursor no longer in use (a renamed topic) holds the outbox until removed.
     */
    public static int prune(Connection c, java.time.Duration retention, int limit) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM relationship_change WHERE change_seq IN"
                + " (SELECT change_seq FROM relationship_change WHERE changed_at < now() - ? * interval '1 second'"
                + " AND change_seq <= (SELECT coalesce(min(position), 0) FROM change_cursor) ORDER BY change_seq LIMIT ?)")) {
            delete.setLong(1, retention.toSeconds());
            delete.setInt(2, limit);
            return delete.executeUpdate();
        }
    }

    /** Creates the named cursor at start unless it exists. */
    public static void createCursor(Connection c, String name, long start) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO change_cursor (name, position) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            insert.setString(1, name);
            insert.setLong(2, start);
            insert.executeUpdate();
        }
    }

    /**
     * Locks the named cursor's row for this transaction and returns its position, or -1 when another
     * transaction holds it (another instance is reading) or it does not exist ({@link #createCursor}).
     */
    public static long lockCursor(Connection c, String name) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT position FROM change_cursor WHERE name = ? FOR UPDATE SKIP LOCKED")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    public static void moveCursor(Connection c, String name, long position) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE change_cursor SET position = ? WHERE name = ?")) {
            update.setLong(1, position);
            update.setString(2, name);
            update.executeUpdate();
        }
    }
}
