package org.parley.status.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The SQL of the change feed (V3__change_feed.sql). Writers call {@link #stamp} in the transaction that
 * writes projections: it numbers the changed rows and sends a NOTIFY, which PostgreSQL delivers to every
 * listening instance only when (and if) that transaction commits.
 */
public final class ChangeFeed {
    public static final String CHANNEL = "parley_changes";
    /** pg_advisory_xact_lock key ("parley-chg"): numbering and commit happen in one order across writers. */
    static final long LOCK_KEY = 0x7061726c65794367L;
    /** NOTIFY payloads must stay under 8000 bytes. */
    static final int MAX_PAYLOAD = 7900;

    /** One changed projection as it now stands; state is the domain Relationship's JSON. */
    public record Change(long seq, String id, String partyA, String partyB, String status, int eventCount,
            Instant lastEventAt, long version, Instant updatedAt, String state) {
    }

    /** Which changes a reader wants; null fields do not filter. */
    public record Filter(String id, String party, String status) {
        public static final Filter ALL = new Filter(null, null, null);

        public boolean test(Change c) {
            return (id == null || id.equals(c.id()))
                    && (party == null || party.equals(c.partyA()) || party.equals(c.partyB()))
                    && (status == null || status.equals(c.status()));
        }
    }

    /**
     * An aggregate over the rows a statement numbered (columns id, version, change_seq) that notifies as
     * {@link #stamp} does; past the payload limit the ids are all left out, "more": true.
     */
    static final String NOTIFY_NUMBERED = "pg_notify('" + CHANNEL + "', CASE WHEN sum(length(id)"
            + " + length(version::text) + 4) + 64 < " + MAX_PAYLOAD + " THEN '{\"seq\":' || max(change_seq)"
            + " || ',\"changes\":{' || string_agg('\"' || id || '\":' || version, ',') || '}}' ELSE '{\"seq\":'"
            + " || max(change_seq) || ',\"changes\":{},\"more\":true}' END)";

    private ChangeFeed() {
    }

    /** For the rest of the transaction: numbering and commit happen in one order across writers. */
    static void lock(Connection c) throws SQLException {
        try (Statement lock = c.createStatement()) {
            lock.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
        }
    }

    /**
     * In the projection transaction, after the projections of ids were written: numbers them and notifies
     * with {"seq": highest, "changes": {id: version, ...}} (ids left out past the payload limit, "more": true).
     */
    public static void stamp(Connection c, String table, Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        lock(c);
        StringBuilder changes = new StringBuilder();
        long max = 0;
        boolean more = false;
        try (PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET change_seq ="
                + " nextval('relationship_change_seq') WHERE id = ANY(?) RETURNING id, version, change_seq")) {
            update.setArray(1, c.createArrayOf("text", ids.toArray(String[]::new)));
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    max = Math.max(max, rs.getLong(3));
                    String entry = "\"" + rs.getString(1) + "\":" + rs.getLong(2);
                    if (changes.length() + entry.length() + 64 < MAX_PAYLOAD) {
                        changes.append(changes.length() == 0 ? "" : ",").append(entry);
                    } else {
                        more = true;
                    }
                }
            }
        }
        notify(c, "{\"seq\":" + max + ",\"changes\":{" + changes + "}" + (more ? ",\"more\":true" : "") + "}");
    }

    /**
     * In a replay's switch transaction, after the next generation became the live table: unchanged rows keep
     * their number, the others are numbered now, and listeners are told to re-read.
     */
    public static void renumberAfterSwitch(Connection c, String live, String old) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            s.executeUpdate("UPDATE " + live + " r SET change_seq = o.change_seq FROM " + old + " o"
                    + " WHERE o.id = r.id AND o.version = r.version AND o.state = r.state");
            s.executeUpdate("UPDATE " + live + " SET change_seq = nextval('relationship_change_seq')"
                    + " WHERE change_seq = 0");
        }
        notify(c, "{\"seq\":null,\"changes\":{},\"more\":true}");
    }

    private static void notify(Connection c, String payload) throws SQLException {
        try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
            notify.setString(1, payload);
            notify.execute();
        }
    }

    /** Has c receive the NOTIFY of every change committed from now on (a connection of its own, autocommit). */
    public static void listen(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
        }
    }

    /** The highest change number written so far (0: none). */
    public static long latest(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT coalesce(max(change_seq), 0) FROM relationship")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The rows changed after seq that pass the filter, oldest change first, at most limit. */
    public static List<Change> since(Connection c, long seq, Filter filter, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT change_seq, id, party_a, party_b, status, event_count,"
                + " last_event_at, version, updated_at, state::text FROM relationship WHERE change_seq > ?");
        List<Object> args = new ArrayList<>();
        args.add(seq);
        if (filter.id() != null) {
            sql.append(" AND id = ?");
            args.add(filter.id());
        }
        if (filter.party() != null) {
            sql.append(" AND (party_a = ? OR party_b = ?)");
            args.add(filter.party());
            args.add(filter.party());
        }
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            args.add(filter.status());
        }
        sql.append(" ORDER BY change_seq LIMIT ").append(limit);
        List<Change> changes = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                select.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    changes.add(new Change(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getInt(6), instant(rs, 7), rs.getLong(8), instant(rs, 9),
                            rs.getString(10)));
                }
            }
        }
        return changes;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
