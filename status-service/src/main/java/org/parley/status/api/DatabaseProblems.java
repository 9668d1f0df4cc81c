package org.parley.status.api;

import java.util.Map;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.parley.status.ParleyConfig;
import org.parley.status.persistence.ReadFailedException;
import org.parley.support.http.ProblemException;
import org.parley.support.http.ProblemMappers;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

/**
 * PostgreSQL out of reach, or reads out of connections or time: retry later (503), not a fault of the request
 * nor of the service (500).
 */
public class DatabaseProblems {
    private static final Logger LOG = Logger.getLogger(DatabaseProblems.class);

    @Inject
    ParleyConfig config;

    @ServerExceptionMapper
    public Response readFailed(ReadFailedException e) {
        if (!e.unavailable()) {
            return ProblemMappers.unexpectedError(e);
        }
        LOG.warnf("answering 503: %s (%s)", e.getMessage(), e.getCause());
        return ProblemException.unavailable("The database is unreachable or busy; retry after the Retry-After seconds",
                config.read().retryAfter(), Map.of()).toResponse();
    }
}
