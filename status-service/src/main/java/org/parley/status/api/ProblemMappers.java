package org.parley.status.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.parley.status.ParleyConfig;
import org.parley.status.persistence.ReadFailedException;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** Every error leaves as application/problem+json, whoever raised it. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    ParleyConfig config;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.toResponse();
    }

    /** Parameters that broke a constraint (Bean Validation), each named as the client sent it. */
    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(parameter(violation.getPropertyPath()), violation.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field));
        return ProblemException.badRequest(errors).toResponse();
    }

    /** The resource methods' parameters carry the names of their query and path parameters. */
    private static String parameter(Path path) {
        String name = null;
        for (Path.Node node : path) {
            name = node.getName();
        }
        return name;
    }

    /** PostgreSQL out of reach: retry later (503), not a fault of the request nor of the service (500). */
    @ServerExceptionMapper
    public Response readFailed(ReadFailedException e) {
        if (!e.unavailable()) {
            return unexpected(e);
        }
        LOG.warnf("answering 503: %s (%s)", e.getMessage(), e.getCause());
        Response problem = Problem.of(503, "The database is unreachable; retry after the Retry-After seconds", null)
                .toResponse();
        long seconds = Math.max(1, config.read().retryAfter().toSeconds());
        problem.getHeaders().add(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return problem;
    }

    /** 404 for unknown paths, 405, 406, 415... raised by the framework. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getResponse().getEntity() instanceof Problem) {
            return e.getResponse(); // already a problem (a parameter converter's)
        }
        int status = e.getResponse().getStatus();
        if (e instanceof NotFoundException && e.getCause() != null) {
            // a path or query parameter that does not convert to its type (e.g. limit=abc)
            return Problem.of(400, "A parameter is not of its type: " + e.getCause().getMessage(), null).toResponse();
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String detail = status >= 500 ? null : e.getMessage();
        Response problem = Problem.of(status, detail != null ? detail : known == null ? null : known.getReasonPhrase(),
                null).toResponse();
        // keep the framework's headers, e.g. Allow on a 405
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> problem.getHeaders().add(name, value));
            }
        });
        return problem;
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("request failed", e);
        return Problem.of(500, "Internal error", null).toResponse();
    }
}
