package org.parley.support.http;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as application/problem+json; nothing a client sends can produce a stack trace. A service
 * adds mappers for its own exceptions (a 503 when its broker or database is out of reach) beside these.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.toResponse();
    }

    /** 404 for unknown paths, 405, 406, 415... raised by the framework. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        if (Problem.isProblem(original)) {
            return original; // already a problem (a parameter converter's)
        }
        if (e instanceof NotFoundException && e.getCause() != null) {
            // a path or query parameter that does not convert to its type (e.g. limit=abc)
            return Problem.of(400, "A parameter is not of its type: " + e.getCause().getMessage(), null).toResponse();
        }
        int status = original.getStatus();
        Response problem = Problem.of(status, detail(status, e), null).toResponse();
        // keep the framework's headers, e.g. Allow on a 405
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> problem.getHeaders().add(name, value));
            }
        });
        return problem;
    }

    private static String detail(int status, WebApplicationException e) {
        return switch (status) {
            case 404 -> "There is nothing at this path";
            case 405 -> "This method is not allowed here";
            case 406 -> "Responses are application/json (errors application/problem+json)";
            case 415 -> "The body must be sent as Content-Type: application/json";
            default -> {
                Response.Status known = Response.Status.fromStatusCode(status);
                String reason = known == null ? "HTTP " + status : known.getReasonPhrase();
                yield status >= 500 || e.getMessage() == null ? reason : e.getMessage();
            }
        };
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return unexpectedError(e);
    }

    /** A fault of ours: logged with its stack trace, answered without it. */
    public static Response unexpectedError(Throwable e) {
        LOG.error("Unexpected error", e);
        return Problem.of(500, "Unexpected error; it has been logged", null).toResponse();
    }
}
