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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import org.postgresql.PGConnection;

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
 * <p>
 * A refold's stream ({@link #forFold}) reads only the fields the fold uses ({@link FoldFields}) and reads ahead:
 * the next chunk is fetched and decoded on another thread while the caller folds the current one, so that
 * PostgreSQL's and the fold's time overlap on two cores. The connection is never used by both at once: the caller
 * writes (its snapshots) only when told the connection is quiet, between chunks.
 */
final class FoldOrderStream {
    private static final int FETCH = 500;
    private static final int CHUNK = 500;
    /** A refold reads on to the end: fewer, longer range scans (still FETCH rows in memory at a time). */
    private static final int REFOLD_CHUNK = 5_000;
    /** Read ahead: rows per chunk (two chunks in memory at a time). */
    private static final int AHEAD_CHUNK = 1_000;
    static final int MAX_TIES = 2_000;
    private static final ExecutorService AHEAD = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "refold-read-ahead");
        thread.setDaemon(true);
        return thread;
    });
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
    /** Null unless this is a refold's stream reading ahead: runs while no chunk is being fetched. */
    private final Quiet quiet;

    /** Work on the stream's connection, run by the stream's caller between two chunks. */
    @FunctionalInterface
    interface Quiet {
        void run() throws SQLException;
    }

    /** after: only statements past it (null: from the first); until: only those occurred by then (null: all). */
    FoldOrderStream(Connection connection, Generation tables, String relationshipId, FoldKey after, Instant until,
            Predicate<TimelineEntry> sink) {
        this(connection, tables, relationshipId, after, until, null, CHUNK, sink, null);
    }

    private FoldOrderStream(Connection connection, Generation tables, String relationshipId, FoldKey after,
            Instant until, Set<UUID> retracted, int chunk, Predicate<TimelineEntry> sink, Quiet quiet) {
        this.connection = connection;
        this.tables = tables;
        this.relationshipId = relationshipId;
        this.after = after;
        this.until = until;
        this.retracted = retracted;
        this.chunk = chunk;
        this.sink = sink;
        this.quiet = quiet;
    }

    /**
     * A refold's stream, to the end of the history: retracted names every id the relationship's stored
     * corrections name (the refold knows them), so that no row needs the correction probe.
     */
    static FoldOrderStream forRefold(Connection connection, Generation tables, String relationshipId, FoldKey after,
            Set<UUID> retracted, Predicate<TimelineEntry> sink) {
        return new FoldOrderStream(connection, tables, relationshipId, after, null, Set.copyOf(retracted),
                REFOLD_CHUNK, sink, null);
    }

    /**
     * A refold's stream of statements as the fold reads them (the fields it uses only), to the end of the history,
     * reading ahead; the sink must not use the connection but in quiet, which the stream runs between chunks.
     */
    static FoldOrderStream forFold(Connection connection, Generation tables, String relationshipId, FoldKey after,
            Set<UUID> retracted, Predicate<TimelineEntry> sink, Quiet quiet) {
        return new FoldOrderStream(connection, tables, relationshipId, after, null, Set.copyOf(retracted),
                AHEAD_CHUNK, sink, quiet);
    }

    /**
     * An asOf read's stream, up to `until`: retracted names every id the relationship's stored corrections name,
     * so that no row needs the correction probe.
     */
    static FoldOrderStream forAsOf(Connection connection, Generation tables, String relationshipId, FoldKey after,
            Instant until, Set<UUID> retracted, Predicate<TimelineEntry> sink) {
        return new FoldOrderStream(connection, tables, relationshipId, after, until, Set.copyOf(retracted), CHUNK, sink,
                null);
    }

    void run() throws SQLException {
        if (chunk == CHUNK) {
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
        Object from = after == null ? null : micros(after.occurredAt()).minus(1, ChronoUnit.MICROS);
        boolean inclusive = true;
        while (true) {
            Object ties = quiet != null ? scanAhead(from, inclusive) : scan((OffsetDateTime) from, inclusive);
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
                        group.add(entry(rs, rs.getObject(5, UUID.class)));
                    }
                }
            }
            if (rows < chunk) {
                emit(group);
                return null;
            }
        }
    }

    /** A refold's rows of one chunk, read and decoded; full: as many as asked (more may follow). */
    private record Chunk(List<String> at, List<TimelineEntry> entries, boolean full, Object[] last) {
    }

    /**
     * {@link #scan} for a refold: each chunk is fetched on another thread while the caller folds the one
     * before. The stored occurred_at is read as its text (equal texts, equal instants: grouping needs no more).
     */
    private String scanAhead(Object from, boolean inclusive) throws SQLException {
        Connection raw = connection.unwrap(PGConnection.class) instanceof Connection c ? c : connection;
        List<TimelineEntry> group = new ArrayList<>();
        String groupAt = null;
        Future<Chunk> next = AHEAD.submit(() -> fetch(raw, from, inclusive, null));
        try {
            while (true) {
                Chunk rows = await(next);
                next = null;
                quiet.run();
                if (rows.full()) {
                    Object[] last = rows.last();
                    next = AHEAD.submit(() -> fetch(raw, from, inclusive, last));
                }
                for (int i = 0; i < rows.entries().size(); i++) {
                    String at = rows.at().get(i);
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
                    group.add(rows.entries().get(i));
                }
                if (!rows.full()) {
                    emit(group);
                    return null;
                }
            }
        } finally {
            if (next != null) {
                try {
                    await(next); // the connection must be idle when the caller has it back
                } catch (SQLException | RuntimeException e) {
                    // the stream's own outcome stands
                }
            }
        }
    }

    /** One chunk of a refold's stream, on the reading thread. */
    private Chunk fetch(Connection raw, Object from, boolean inclusive, Object[] last) throws SQLException {
        String sql = select() + (from == null ? "" : " AND s.occurred_at " + (inclusive ? ">=" : ">")
                + " CAST(? AS timestamptz)")
                + (last == null ? "" : " AND (s.occurred_at, s.recorded_at, s.event_id)"
                        + " > (CAST(? AS timestamptz), CAST(? AS timestamptz), ?)")
                + " ORDER BY s.occurred_at, s.recorded_at, s.event_id LIMIT " + chunk;
        List<String> at = new ArrayList<>(chunk);
        List<TimelineEntry> entries = new ArrayList<>(chunk);
        Object[] end = null;
        try (PreparedStatement select = raw.prepareStatement(sql)) {
            select.setFetchSize(chunk);
            int p = 1;
            select.setString(p++, relationshipId);
            if (from != null) {
                select.setObject(p++, from);
            }
            if (last != null) {
                for (Object value : last) {
                    select.setObject(p++, value);
                }
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    UUID eventId = rs.getObject(5, UUID.class);
                    at.add(rs.getString(2));
                    end = new Object[] { rs.getString(2), rs.getString(4), eventId };
                    entries.add(entry(rs, eventId));
                }
            }
        }
        return new Chunk(at, entries, entries.size() == chunk, end);
    }

    private static Chunk await(Future<Chunk> chunk) throws SQLException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return chunk.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the read must end before the connection is used again
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SQLException sql) {
                        throw sql;
                    }
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One group of ties, ordered by PostgreSQL; false once the sink has had enough. */
    private boolean exactly(Object at) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(select()
                + " AND s.occurred_at = CAST(? AS timestamptz) ORDER BY fold_key(s.payload, s.event_id) COLLATE \"C\"")) {
            select.setFetchSize(FETCH);
            select.setString(1, relationshipId);
            select.setObject(2, at);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (!emit(List.of(entry(rs, rs.getObject(5, UUID.class))))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private String select() {
        if (quiet != null) {
            // Only what the fold reads: the whole jsonb converted to text and parsed cost more than the fold.
            return "SELECT s.type, s.occurred_at::text, false, s.recorded_at::text, s.event_id, " + FoldFields.COLUMNS
                    + " FROM " + tables.statement() + " s WHERE s.relationship_id = ?";
        }
        // The effect: a statement is retracted when any stored correction of the relationship names it.
        String probe = retracted != null ? "false" : "EXISTS (SELECT 1 FROM " + tables.statement() + " r"
                + " WHERE r.relationship_id = s.relationship_id AND r.type = 'STATEMENT_RETRACTED'"
                + " AND lower(r.payload->>'retracts') = s.event_id::text)";
        return "SELECT s.payload::text, s.occurred_at, " + probe + ", s.recorded_at, s.event_id, s.posted_by"
                + " FROM " + tables.statement() + " s WHERE s.relationship_id = ?";
    }

    private TimelineEntry entry(ResultSet rs, UUID eventId) throws SQLException {
        if (quiet != null) {
            Statement statement = FoldFields.read(rs, rs.getString(1), eventId, 6);
            return new TimelineEntry(statement, effect(statement, retracted.contains(eventId)), null);
        }
        Statement statement = StatementRules.stored(rs.getString(1));
        boolean isRetracted = retracted != null ? retracted.contains(statement.eventId()) : rs.getBoolean(3);
        return new TimelineEntry(statement, effect(statement, isRetracted), rs.getString(6));
    }

    private static TimelineEntry.Effect effect(Statement statement, boolean isRetracted) {
        return statement.type() == StatementType.STATEMENT_RETRACTED ? TimelineEntry.Effect.RETRACTION
                : isRetracted ? TimelineEntry.Effect.RETRACTED : TimelineEntry.Effect.APPLIED;
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
