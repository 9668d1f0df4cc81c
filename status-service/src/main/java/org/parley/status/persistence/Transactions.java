package org.parley.status.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import io.quarkus.narayana.jta.QuarkusTransaction;

/** The one way status-service runs JDBC work in a transaction of its own (a new one, whatever runs around it). */
public final class Transactions {

    /** Work on the transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws Exception;
    }

    private Transactions() {
    }

    public static <T> T inNew(DataSource dataSource, Work<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        });
    }

    /**
     * statementTimeout bounds every statement of the work (statement_timeout); the transaction gets a few seconds
     * more, so that the database, not the transaction manager, ends a batch that runs out of time.
     */
    public static <T> T inNew(DataSource dataSource, Duration statementTimeout, Work<T> work) {
        return QuarkusTransaction.requiringNew().timeout((int) Math.max(1, statementTimeout.toSeconds() + 5)).call(() -> {
            try (Connection c = dataSource.getConnection()) {
                statementTimeout(c, statementTimeout);
                return work.run(c);
            }
        });
    }

    /**
     * As {@link #inNew(DataSource, Duration, Work)}, with first (SQL without parameters, e.g. a session's DDL) sent
     * together with the timeout: one round trip for both.
     */
    public static <T> T inNew(DataSource dataSource, Duration statementTimeout, String first, Work<T> work) {
        return QuarkusTransaction.requiringNew().timeout((int) Math.max(1, statementTimeout.toSeconds() + 5)).call(() -> {
            try (Connection c = dataSource.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT set_config('statement_timeout', '" + statementTimeout.toMillis() + "ms', true); " + first);
                }
                return work.run(c);
            }
        });
    }

    /** For the rest of the transaction on c. */
    static void statementTimeout(Connection c, Duration timeout) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT set_config('statement_timeout', ?, true)")) {
            s.setString(1, timeout.toMillis() + "ms");
            s.execute();
        }
    }
}
