package org.parley.status.persistence.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

import javax.sql.DataSource;

import org.parley.status.persistence.CauseChain;
import org.parley.status.persistence.Transactions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The replay rows (one per replay; at most one RUNNING or SWITCHING): every state change is a
 * compare-and-set, so a finished replay never reverts. The tables themselves: {@link GenerationSwitch}.
 */
@ApplicationScoped
public class ReplayStore {

    public enum State {
        RUNNING, SWITCHING, DONE, FAILED, CANCELLED;

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

    private <T> T inTransaction(Transactions.Work<T> work) {
        return Transactions.inNew(dataSource, work);
    }

    /** The running or switching replay, if any. */
    public Optional<Row> active() {
        return inTransaction(c -> one(c, "WHERE state IN ('RUNNING', 'SWITCHING')", null));
    }

    /** The most recent replay, if any. */
    public Optional<Row> latest() {
        return inTransaction(c -> one(c, "ORDER BY id DESC LIMIT 1", null));
    }

    public Optional<Row> byId(long id) {
        return inTransaction(c -> one(c, "WHERE id = ?", id));
    }

    /** where: a constant clause, with one ? bound to id unless id is null. */
    private static Optional<Row> one(Connection c, String where, Long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, state, mode, started_at, run_started_at,"
                + " finished_at, switched_at, total, processed, restarts, error FROM replay " + where)) {
            if (id != null) {
                s.setLong(1, id);
            }
            ResultSet rs = s.executeQuery();
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
        return CauseChain.sqlState(e, "23505");
    }

    /**
     * The run begins again after a restart: from where it was (resumed) or from offset 0 (restarted). Only
     * an active replay: a DONE or FAILED one never comes back.
     */
    public boolean restart(long id, boolean fromScratch) {
        return update("UPDATE replay SET state = 'RUNNING', mode = ?, run_started_at = now(),"
                + " restarts = restarts + 1, error = NULL, processed = CASE WHEN ? THEN 0 ELSE processed END"
                + " WHERE id = ? AND state IN ('RUNNING', 'SWITCHING')", fromScratch ? "restarted" : "resumed",
                fromScratch, id);
    }

    /** The last error of a run that goes on retrying (null: cleared). */
    public void lastError(long id, String error) {
        update("UPDATE replay SET error = ? WHERE id = ?", error, id);
    }

    public void total(long id, long total) {
        update("UPDATE replay SET total = ? WHERE id = ?", total, id);
    }

    /**
     * RUNNING → SWITCHING by the runner holding the lock; also true when it is SWITCHING already and not yet
     * switched: a switch attempt of this runner that failed while the database was away could not set it back.
     */
    public boolean beginSwitch(long id, ReplayLock lock) {
        return lockedUpdate("UPDATE replay SET state = 'SWITCHING' WHERE id = ? AND state IN ('RUNNING', 'SWITCHING')"
                + " AND switched_at IS NULL AND " + ReplayLock.heldBy(), id, lock);
    }

    /** SWITCHING → RUNNING after a switch attempt that did not switch, by the runner holding the lock. */
    public boolean switchAbandoned(long id, ReplayLock lock) {
        return lockedUpdate("UPDATE replay SET state = 'RUNNING' WHERE id = ? AND state = 'SWITCHING'"
                + " AND switched_at IS NULL AND " + ReplayLock.heldBy(), id, lock);
    }

    private boolean lockedUpdate(String sql, long id, ReplayLock lock) {
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, id);
                lock.bind(s, 2);
                return s.executeUpdate() == 1;
            }
        });
    }

    /** FAILED, unless it is no longer active (a DONE replay stays DONE). */
    public boolean fail(long id, String error) {
        return update("UPDATE replay SET state = 'FAILED', finished_at = now(), error = ?"
                + " WHERE id = ? AND state IN ('RUNNING', 'SWITCHING')", error, id);
    }

    /** RUNNING → CANCELLED (an operator's DELETE /admin/replay); false when it is not running. */
    public boolean cancel(long id) {
        return update("UPDATE replay SET state = 'CANCELLED', finished_at = now(), error = 'cancelled by an operator'"
                + " WHERE id = ? AND state = 'RUNNING'", id);
    }

    /** true when a row changed. */
    private boolean update(String sql, Object... values) {
        return inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    s.setObject(i + 1, values[i]);
                }
                return s.executeUpdate() > 0;
            }
        });
    }

    /**
     * In a batch's transaction: fails it unless the replay is still active and its lock still held by this
     * runner's session (fences off a stopped runner, and one whose session was lost).
     */
    public static void progress(Connection c, long id, long processed, ReplayLock lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE replay SET processed = ? WHERE id = ?"
                + " AND state IN ('RUNNING', 'SWITCHING') AND " + ReplayLock.heldBy())) {
            s.setLong(1, processed);
            s.setLong(2, id);
            lock.bind(s, 3);
            if (s.executeUpdate() != 1) {
                throw new NoLongerActive("replay " + id + " is no longer active, or its runner lost its lock");
            }
        }
    }

    /** In the switch's transaction: SWITCHING → DONE, once, and only by the runner holding the lock. */
    static boolean markDone(Connection c, long id, ReplayLock lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE replay SET state = 'DONE', switched_at = now(),"
                + " finished_at = now() WHERE id = ? AND state = 'SWITCHING' AND switched_at IS NULL AND "
                + ReplayLock.heldBy())) {
            s.setLong(1, id);
            lock.bind(s, 2);
            return s.executeUpdate() == 1;
        }
    }

    /** The runner may not write any more: its replay ended elsewhere, or its lock is gone. */
    public static final class NoLongerActive extends IllegalStateException {
        public NoLongerActive(String message) {
            super(message);
        }
    }
}
