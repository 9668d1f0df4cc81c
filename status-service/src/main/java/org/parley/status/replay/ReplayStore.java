package org.parley.status.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.parley.status.persistence.ChangeFeed;
import org.parley.status.persistence.Tables;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The replay's SQL: the replay row, the next generation's tables, the switch and the clean-up. The live
 * tables are only ever touched by {@link #switchGenerations}, in one transaction.
 */
@ApplicationScoped
public class ReplayStore {
    private static final Logger LOG = Logger.getLogger(ReplayStore.class);
    /** pg_try_advisory_lock key held by the instance that runs the replay ("parley-replay"). */
    static final long LOCK_KEY = 0x7061726c6579L;

    public enum State {
        RUNNING, SWITCHING, DONE, FAILED;

        public boolean active() {
            return this == RUNNING || this == SWITCHING;
        }
    }

    public record Row(long id, State state, String mode, Instant startedAt, Instant runStartedAt,
            Instant finishedAt, Instant switchedAt, long total, long processed, int restarts, String error) {
    }

    /** Another replay is active (the partial unique index said so). */
    public static final class AlreadyActive extends RuntimeException {
        AlreadyActive(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Inject
    DataSource dataSource;

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        });
    }

    /** The running or switching replay, if any. */
    public Optional<Row> active() {
        return inTransaction(c -> one(c, "WHERE state IN ('RUNNING', 'SWITCHING')"));
    }

    /** The most recent replay, if any. */
    public Optional<Row> latest() {
        return inTransaction(c -> one(c, "ORDER BY id DESC LIMIT 1"));
    }

    public Optional<Row> byId(long id) {
        return inTransaction(c -> one(c, "WHERE id = " + id));
    }

    private static Optional<Row> one(Connection c, String where) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, state, mode, started_at,"
                + " run_started_at, finished_at, switched_at, total, processed, restarts, error FROM replay " + where)) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Row(rs.getLong(1), State.valueOf(rs.getString(2)), rs.getString(3),
                    instant(rs, 4), instant(rs, 5), instant(rs, 6), instant(rs, 7), rs.getLong(8), rs.getLong(9),
                    rs.getInt(10), rs.getString(11)));
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** A new RUNNING replay (mode started); AlreadyActive if one is running or switching. */
    public Row create() {
        try {
            long id = inTransaction(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("INSERT INTO replay (state, mode,"
                        + " started_at, run_started_at) VALUES ('RUNNING', 'started', now(), now()) RETURNING id")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            return byId(id).orElseThrow();
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                throw new AlreadyActive("a replay is already running", e);
            }
            throw e;
        }
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** The run begins again after a restart: from where it was (resumed) or from offset 0 (restarted). */
    public void restart(long id, boolean fromScratch) {
        update(id, "UPDATE replay SET state = 'RUNNING', mode = '" + (fromScratch ? "restarted" : "resumed") + "',"
                + " run_started_at = now(), restarts = restarts + 1, error = NULL"
                + (fromScratch ? ", processed = 0" : "") + " WHERE id = ?");
    }

    /** The last error of a run that goes on retrying (null: cleared). */
    public void lastError(long id, String error) {
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE replay SET error = ? WHERE id = ?")) {
                s.setString(1, error);
                s.setLong(2, id);
                return s.executeUpdate();
            }
        });
    }

    public void total(long id, long total) {
        update(id, "UPDATE replay SET total = " + total + " WHERE id = ?");
    }

    public void state(long id, State state) {
        update(id, "UPDATE replay SET state = '" + state + "' WHERE id = ?");
    }

    public void fail(long id, String error) {
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE replay SET state = 'FAILED', finished_at = now(), error = ? WHERE id = ?")) {
                s.setString(1, error);
                s.setLong(2, id);
                return s.executeUpdate();
            }
        });
    }

    private void update(long id, String sql) {
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, id);
                return s.executeUpdate();
            }
        });
    }

    /** In a batch's transaction: fails it unless the replay is still active (fences off a stopped runner). */
    static void progress(Connection c, long id, long processed) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE replay SET processed = ? WHERE id = ? AND state IN ('RUNNING', 'SWITCHING')")) {
            s.setLong(1, processed);
            s.setLong(2, id);
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("replay " + id + " is no longer active");
            }
        }
    }

    public boolean nextTablesExist() {
        return inTransaction(c -> {
            for (String table : Tables.NEXT.all()) {
                if (!exists(c, table)) {
                    return false;
                }
            }
            return true;
        });
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Empty next tables shaped like the live ones (columns, defaults, constraints, indexes). */
    public void createNextTables() {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                List<String> live = Tables.LIVE.all();
                List<String> next = Tables.NEXT.all();
                for (int i = 0; i < live.size(); i++) {
                    s.execute("DROP TABLE IF EXISTS " + next.get(i));
                    s.execute("CREATE TABLE " + next.get(i) + " (LIKE " + live.get(i) + " INCLUDING ALL)");
                }
            }
            return null;
        });
    }

    /** Fresh planner statistics for the next tables, so that reads plan well from the first one after the switch. */
    public void analyzeNext() {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                for (String table : Tables.NEXT.all()) {
                    s.execute("ANALYZE " + table);
                }
            }
            return null;
        });
    }

    /**
     * The switch, in one transaction: each live table becomes *_old and its next table takes its name, the
     * indexes too (paired by definition, so the live names stay those of the migrations); the replay is DONE.
     * Readers wait on the lock for the few milliseconds it is held, then read the new tables.
     */
    public void switchGenerations(long id, String lockTimeout) {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '" + lockTimeout.replace("'", "") + "'");
                // In the order a consumer's batch takes them (offsets, statements, projections): another
                // instance's batch in flight finishes first instead of deadlocking with the switch.
                s.execute("LOCK TABLE " + Tables.LIVE.consumerOffset() + ", " + Tables.LIVE.statement() + ", "
                        + Tables.LIVE.relationship() + " IN ACCESS EXCLUSIVE MODE");
                for (String table : Tables.OLD.all()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
                for (String live : Tables.LIVE.all()) {
                    String next = live + "_next", old = live + "_old";
                    List<Index> liveIndexes = indexes(c, live);
                    List<Index> nextIndexes = indexes(c, next);
                    s.execute("ALTER TABLE " + live + " RENAME TO " + old);
                    int n = 0;
                    for (Index index : liveIndexes) {
                        s.execute("ALTER INDEX " + quote(index.name()) + " RENAME TO " + quote(old + "_" + n++));
                    }
                    s.execute("ALTER TABLE " + next + " RENAME TO " + live);
                    for (Index index : nextIndexes) {
                        Index twin = liveIndexes.stream().filter(l -> l.definition().equals(index.definition()))
                                .findFirst().orElse(null);
                        if (twin != null) {
                            liveIndexes.remove(twin);
                            s.execute("ALTER INDEX " + quote(index.name()) + " RENAME TO " + quote(twin.name()));
                        }
                    }
                }
                ChangeFeed.renumberAfterSwitch(c, Tables.LIVE.relationship(), Tables.OLD.relationship());
                int updated = s.executeUpdate("UPDATE replay SET state = 'DONE', switched_at = now(),"
                        + " finished_at = now() WHERE id = " + id + " AND state = 'SWITCHING' AND switched_at IS NULL");
                if (updated != 1) {
                    throw new IllegalStateException("replay " + id + " is not switching");
                }
            }
            return null;
        });
    }

    private record Index(String name, String definition) {
    }

    /** The table's indexes; definition: what follows USING in pg_get_indexdef, with uniqueness. */
    private static List<Index> indexes(Connection c, String table) throws SQLException {
        List<Index> indexes = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT i.relname, x.indisunique, x.indisprimary,"
                + " regexp_replace(pg_get_indexdef(x.indexrelid), '^.* USING ', '')"
                + " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
                + " WHERE x.indrelid = ?::regclass ORDER BY i.relname")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    indexes.add(new Index(rs.getString(1), rs.getBoolean(2) + "/" + rs.getBoolean(3) + "/" + rs.getString(4)));
                }
            }
        }
        return indexes;
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Drops what a switch (or a crash right after one) left behind. */
    public void dropOld() {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                for (String table : Tables.OLD.all()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
            return null;
        });
    }

    /**
     * A session-level advisory lock on its own connection: held while this instance runs a replay, released
     * with the connection (also when the process dies), so that two instances never run one at once.
     */
    public Optional<Connection> tryLock() {
        try {
            Connection c = dataSource.getConnection();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return Optional.of(c);
                }
            }
            c.close();
            return Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the replay lock", e);
        }
    }

    public static void unlock(Connection lock) {
        try (lock; Statement s = lock.createStatement()) {
            s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
        } catch (SQLException e) {
            LOG.debugf("releasing the replay lock: %s", e);
        }
    }

    /** Counts per table (for logs): relationship and statement rows of the next generation. */
    public Map<String, Long> nextCounts() {
        return inTransaction(c -> {
            Map<String, Long> counts = new HashMap<>();
            try (Statement s = c.createStatement()) {
                for (String table : List.of(Tables.NEXT.statement(), Tables.NEXT.relationship())) {
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                        rs.next();
                        counts.put(table, rs.getLong(1));
                    }
                }
            }
            return counts;
        });
    }
}
