package org.parley.status.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.parley.status.domain.FoldKey;
import org.parley.contract.Statement;
import org.parley.contract.StatementType;
import org.parley.status.domain.TimelineEntry;
import org.parley.contract.StatementRules;

/**
 * A relationship's stored statements in exact {@link Statement#FOLD_ORDER}, a few hundred rows at a time. The index gives the order of the stored columns (microseconds, and PostgreSQL's unsigned uuid order);
 * the exact order (nanoseconds from the payload, java.util.UUID's signed comparison) only differs among
 * statements that share a stored occurred_at, so each such group is sorted in memory — or, past MAX_TIES
 * statements, ordered by PostgreSQL with fold_key() (V3_7), so that no group can fill the heap.
 */
final class FoldOrderStream {
    private static final int FETCH = 500;
    private static final int CHUNK = 500;
    /** A refold reads on to the end: fewer, longer range scans (still FETCH rows in memory at a time). */
    private static final int REFOLD_CHUNK = 5_000;
    static final int MAX_TIES = 2_000;
    private static final Comparator<TimelineEntry> ORDER = Comparator.comparing(TimelineEntry::statement,
            Statement.FOLD_ORDER);

    private final Connection connection;
    private final Generation tables;
    private final String relationshipId;
    private final FoldKey after;
    private final Instant until;
    private final Predicate<TimelineEntry> sink;
    /** Every id the relationship's corrections name, when the caller knows them; null: the database tells. */
    private final Set<UUID> retracted;
    private final int chunk;

    /** after: only statements past it (null: from the first); until: only those occurred by then (null: all). */
    FoldOrderStream(Connection connection, Generation tables, String relationshipId, FoldKey after, Instant until,
            Predicate<TimelineEntry> sink) {
        this(connection, tables, relationshipId, after, until, null, CHUNK, sink);
    }

    private FoldOrderStream(Connection connection, Generation tables, String relationshipId, FoldKey after,
            Instant until, Set<UUID> retracted, int chunk, Predicate<TimelineEntry> sink) {
        this.connection = connection;
        this.tables = tables;
        this.relationshipId = relationshipId;
        this.after = after;
        this.until = until;
        this.retracted = retracted;
        this.chunk = chunk;
        this.sink = sink;
    }

    /**
     * A refold's stream, to the end of the history: retracted names every id the relationship's stored
     * corrections name (the refold knows them), so that no row needs the correction probe.
     */
    static FoldOrderStream forRefold(Connection connection, Generation tables, String relationshipId, FoldKey after,
            Set<UUID> retracted, Predicate<TimelineEntry> sink) {
        return new FoldOrderStream(connection, tables, relationshipId, after, null, Set.copyOf(retracted),
                REFOLD_CHUNK, sink);
    }

    /**
     * An asOf read's stream, up to `until`: retracted names every id the relationship's stored corrections name,
     * so that no row needs the correction probe.
     */
    static FoldOrderStream forAsOf(Connection connection, Generation tables, String relationshipId, FoldKey after,
            Instant until, Set<UUID> retracted, Predicate<TimelineEntry> sink) {
        return new FoldOrderStream(connection, tables, relationshipId, after, until, Set.copyOf(retracted), CHUNK, sink);
    }

    void run() throws SQLException {
        if (chunk != REFOLD_CHUNK) {
            stream();
            return;
        }
        // A refold runs in the consumer's batch: a plan that sorts the rest of the history for every chunk
        // (what the planner picks while a grown relationship has no statistics yet) would stall every partition
        // for seconds. The index gives the order; sorts are only for the groups of ties.
        String sorting = setting("enable_sort", "off");
        try {
            stream();
        } finally {
            setting("enable_sort", sorting);
        }
    }

    /** Sets a setting for the rest of the transaction; returns what it was. */
    private String setting(String name, String value) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement(
                "SELECT current_setting(?), set_config(?, ?, true)")) {
            set.setString(1, name);
            set.setString(2, name);
            set.setString(3, value);
            try (ResultSet rs = set.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private void stream() throws SQLException {
        // Stored instants are rounded to microseconds: bounds one microsecond wider, exact checks in emit().
        OffsetDateTime from = after == null ? null : micros(after.occurredAt()).minus(1, ChronoUnit.MICROS);
        boolean inclusive = true;
        while (true) {
            OffsetDateTime ties = scan(from, inclusive);
            if (ties == null || !exactly(ties)) {
                return;
            }
            from = ties;
            inclusive = false;
        }
    }

    /**
     * Streams from the lower bound in chunks of `chunk` rows, each chunk continuing after the stored key
     * (occurred_at, recorded_at, event_id) of the last: a LIMIT in the index's order keeps every query an
     * index range scan whatever the planner's statistics say. Returns the stored occurred_at of a group too
     * large to sort here, else null.
     */
    private OffsetDateTime scan(OffsetDateTime from, boolean inclusive) throws SQLException {
        List<TimelineEntry> group = new ArrayList<>();
        OffsetDateTime groupAt = null;
        Object[] last = null;
        while (true) {
            String sql = select() + (from == null ? "" : " AND s.occurred_at " + (inclusive ? ">=" : ">") + " ?")
                    + (until == null ? "" : " AND s.occurred_at <= ?")
                    + (last == null ? "" : " AND (s.occurred_at, s.recorded_at, s.event_id) > (?, ?, ?)")
                    + " ORDER BY s.occurred_at, s.recorded_at, s.event_id LIMIT " + chunk;
            int rows = 0;
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setFetchSize(FETCH); // in a transaction: FETCH rows in memory at a time
                int p = 1;
                select.setString(p++, relationshipId);
                if (from != null) {
                    select.setObject(p++, from);
                }
                if (until != null) {
                    select.setObject(p++, micros(until).plus(1, ChronoUnit.MICROS));
                }
                if (last != null) {
                    for (Object value : last) {
                        select.setObject(p++, value);
                    }
                }
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        OffsetDateTime at = rs.getObject(2, OffsetDateTime.class);
                        last = new Object[] { at, rs.getObject(4, OffsetDateTime.class), rs.getObject(5, UUID.class) };
                        if (!at.equals(groupAt)) {
                            if (!emit(group)) {
                                return null;
                            }
                            group.clear();
                            groupAt = at;
                        }
                        if (group.size() == MAX_TIES) {
                            return groupAt;
                        }
                        group.add(entry(rs));
                    }
                }
            }
            if (rows < chunk) {
                emit(group);
                return null;
            }
        }
    }

    /** One group of ties, ordered by PostgreSQL; false once the sink has had enough. */
    private boolean exactly(OffsetDateTime at) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(select()
                + " AND s.occurred_at = ? ORDER BY fold_key(s.payload, s.event_id) COLLATE \"C\"")) {
            select.setFetchSize(FETCH);
            select.setString(1, relationshipId);
            select.setObject(2, at);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (!emit(List.of(entry(rs)))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private String select() {
        // The effect: a statement is retracted when any stored correction of the relationship names it.
        String probe = retracted != null ? "false" : "EXISTS (SELECT 1 FROM " + tables.statement() + " r"
                + " WHERE r.relationship_id = s.relationship_id AND r.type = 'STATEMENT_RETRACTED'"
                + " AND lower(r.payload->>'retracts') = s.event_id::text)";
        return "SELECT s.payload::text, s.occurred_at, " + probe + ", s.recorded_at, s.event_id, s.posted_by"
                + " FROM " + tables.statement() + " s WHERE s.relationship_id = ?";
    }

    private TimelineEntry entry(ResultSet rs) throws SQLException {
        Statement statement = StatementRules.stored(rs.getString(1));
        boolean isRetracted = retracted != null ? retracted.contains(statement.eventId()) : rs.getBoolean(3);
        TimelineEntry.Effect effect = statement.type() == StatementType.STATEMENT_RETRACTED ? TimelineEntry.Effect.RETRACTION
                : isRetracted ? TimelineEntry.Effect.RETRACTED : TimelineEntry.Effect.APPLIED;
        return new TimelineEntry(statement, effect, rs.getString(6));
    }

    /** Sorted exactly, past `after`, up to `until`; false once the sink has had enough or `until` is passed. */
    private boolean emit(List<TimelineEntry> group) {
        if (group.size() > 1) {
            group.sort(ORDER);
        }
        for (TimelineEntry entry : group) {
            Statement statement = entry.statement();
            if (after != null && FoldKey.of(statement).compareTo(after) <= 0) {
                continue;
            }
            if (until != null && statement.occurredAt().isAfter(until)) {
                return false;
            }
            if (!sink.test(entry)) {
                return false;
            }
        }
        return true;
    }

    private static OffsetDateTime micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }
}
