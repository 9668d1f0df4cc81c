package org.parley.status.persistence.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/**
 * One replay runner at a time across instances: a session-level advisory lock on a connection of its own,
 * released with the session (also when the process dies). A session can be lost without the runner
 * noticing (a network cut, a terminated backend): then another instance may take the lock. So every batch
 * of the runner re-checks, in its own transaction, that the session holding the lock is still this one's
 * ({@link #heldBy}): a runner that lost it can no longer write, and stops.
 */
public final class ReplayLock implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReplayLock.class);
    /** pg_try_advisory_lock key ("parley-replay"). */
    public static final long KEY = 0x7061726c6579L;
    /** How pg_locks shows a bigint advisory key: high and low 32 bits. */
    private static final long CLASS_ID = KEY >>> 32;
    private static final long OBJ_ID = KEY & 0xffffffffL;

    private final Connection session;
    private final int pid;

    private ReplayLock(Connection session, int pid) {
        this.session = session;
        this.pid = pid;
    }

    /** The lock, on a connection of its own; empty when another session holds it. */
    public static Optional<ReplayLock> tryAcquire(DataSource dataSource) {
        try {
            Connection c = dataSource.getConnection();
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?), pg_backend_pid()")) {
                s.setLong(1, KEY);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return Optional.of(new ReplayLock(c, rs.getInt(2)));
                    }
                }
            }
            c.close();
            return Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the replay lock", e);
        }
    }

    /** SQL true while the lock is held by this lock's session; binds one parameter ({@link #bind}). */
    static String heldBy() {
        return "EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = " + CLASS_ID
                + " AND objid = " + OBJ_ID + " AND objsubid = 1 AND pid = ?)";
    }

    void bind(PreparedStatement s, int index) throws SQLException {
        s.setInt(index, pid);
    }

    /** Whether this session still holds the lock, asked from another connection. */
    public boolean stillHeld(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + heldBy())) {
            bind(s, 1);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Releases the lock and the connection; a lost session has nothing to release. */
    @Override
    public void close() {
        try (Connection c = session; PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            s.setLong(1, KEY);
            s.execute();
        } catch (SQLException e) {
            LOG.debugf("releasing the replay lock: %s", e);
        }
    }

    /** The backend holding the lock (for tests that cut the session, and for logs). */
    public int pid() {
        return pid;
    }
}
