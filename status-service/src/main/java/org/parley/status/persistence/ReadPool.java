package org.parley.status.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.parley.status.ParleyConfig;

import io.agroal.api.AgroalPoolInterceptor;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The pool HTTP reads take their connections from (datasource {@value #NAME}), apart from the fold's (the
 * default datasource), so that readers can hold up no batch. Every connection it opens gets the reads'
 * statement_timeout for its whole session.
 */
@ApplicationScoped
@DataSource(ReadPool.NAME)
public class ReadPool implements AgroalPoolInterceptor {
    public static final String NAME = "reads";

    @Inject
    ParleyConfig config;

    @Override
    public void onConnectionCreate(Connection connection) {
        try (Statement set = connection.createStatement()) {
            set.execute("SET statement_timeout = " + Math.max(1, config.read().statementTimeout().toMillis()));
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set the reads' statement_timeout", e);
        }
    }
}
