package org.parley.status.persistence.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.parley.status.persistence.ChangeOutbox;
import org.parley.status.persistence.CauseChain;
import org.parley.status.persistence.ChangeFeed;
import org.parley.status.persistence.Generation;
import org.parley.status.persistence.Transactions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The generations of the projection tables a replay works with: the next tables created beside the live
 * ones, the switch that renames them into place, and the clean-up. The live tables are only ever touched by
 * {@link #switchGenerations}, in one transaction.
 */
@ApplicationScoped
public class GenerationSwitch {
    private static final Logger LOG = Logger.getLogger(GenerationSwitch.class);

    @Inject
    DataSource dataSource;

    private <T> T inTransaction(Transactions.Work<T> work) {
        return Transactions.inNew(dataSource, work);
    }

    /** Drops the next tables (a cancelled replay's). */
    public void dropNext() {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                for (String table : Generation.NEXT.all()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
            return null;
        });
    }

    public boolean nextTablesExist() {
        return inTransaction(c -> {
            for (String table : Generation.NEXT.all()) {
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

    /**
     * Empty next tables shaped like the live ones (columns, defaults, constraints, indexes), but for the
     * statement table's keys and indexes, which {@link BulkLoad} builds once the statements are in.
     */
    public void createNextTables() {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                List<String> live = Generation.LIVE.all();
                List<String> next = Generation.NEXT.all();
                for (int i = 0; i < live.size(); i++) {
                    s.execute("DROP TABLE IF EXISTS " + next.get(i));
                    s.execute("CREATE TABLE " + next.get(i) + " (LIKE " + live.get(i) + " INCLUDING ALL"
                            + (live.get(i).equals(Generation.LIVE.statement()) ? " EXCLUDING INDEXES)" : ")"));
                }
            }
            return null;
        });
    }

    /** Fresh planner statistics for the next tables, so that reads plan well from the first one after the switch. */
    public void analyzeNext() {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                for (String table : Generation.NEXT.all()) {
                    s.execute("ANALYZE " + table);
                }
            }
            return null;
        });
    }

    /**
     * {@link #switchGenerations}, tried again while it cannot get its locks within lockTimeout and the
     * deadline (System.nanoTime) is not past: readers queue behind the switch's lock request, so a short
     * lock timeout, a pause and another try keep every read's wait to about lockTimeout.
     */
    public void switchWithRetries(long id, ReplayLock lock, Duration lockTimeout, long deadline) throws InterruptedException {
        for (int attempt = 1;; attempt++) {
            try {
                switchGenerations(id, lock, lockTimeout);
                return;
            } catch (RuntimeException e) {
                if (!CauseChain.sqlState(e, "55P03") || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.infof("replay %d: the switch could not lock the live tables within %s (attempt %d); retrying",
                        id, lockTimeout, attempt);
                Thread.sleep(Math.min(1_000, 100L * attempt));
            }
        }
    }

    /**
     * The switch, in one transaction: each live table becomes *_old and its next table takes its name, the
     * indexes too (paired by definition, so the live names stay those of the migrations); the replay is DONE.
     * Readers wait on the lock for the few milliseconds it is held, then read the new tables.
     */
    public void switchGenerations(long id, ReplayLock lock, Duration lockTimeout) {
        inTransaction(c -> {
            try (PreparedStatement timeout = c.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
                timeout.setString(1, lockTimeout.toMillis() + "ms");
                timeout.execute();
            }
            try (Statement s = c.createStatement()) {
                // In the order a consumer's batch takes them (offsets, statements, projections, snapshots):
                // another instance's batch in flight finishes first instead of deadlocking with the switch.
                s.execute("LOCK TABLE " + Generation.LIVE.consumerOffset() + ", " + Generation.LIVE.statement() + ", "
                        + Generation.LIVE.relationship() + ", " + Generation.LIVE.foldSnapshot() + " IN ACCESS EXCLUSIVE MODE");
                for (String table : Generation.OLD.all()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
                for (String live : Generation.LIVE.all()) {
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
            }
            ChangeFeed.renumberAfterSwitch(c, Generation.LIVE.relationship(), Generation.OLD.relationship());
            ChangeOutbox.appendAfterSwitch(c, Generation.LIVE.relationship(), Generation.OLD.relationship());
            if (!ReplayStore.markDone(c, id, lock)) {
                throw new ReplayStore.NoLongerActive("replay " + id + " is not switching, or its runner lost its lock");
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
                for (String table : Generation.OLD.all()) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
            return null;
        });
    }
}
