package org.parley.status.persistence;

import java.sql.Connection;

import javax.sql.DataSource;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Readiness of PostgreSQL, in place of Quarkus' own check (same name), whose DOWN carries the driver's
 * exception text (hosts, SQL state messages): this one says what is down and no more.
 */
@Readiness
@ApplicationScoped
public class DatabaseHealth implements HealthCheck {
    static final String NAME = "Database connections health check";
    private static final Logger LOG = Logger.getLogger(DatabaseHealth.class);
    private static final int TIMEOUT_SECONDS = 3;

    @Inject
    @io.quarkus.agroal.DataSource(ReadPool.NAME)
    DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME);
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isValid(TIMEOUT_SECONDS)) {
                return response.up().build();
            }
        } catch (Exception e) {
            LOG.debugf("database check failed: %s", e);
        }
        return response.down().withData("reason", "no valid database connection within " + TIMEOUT_SECONDS + " s").build();
    }
}
