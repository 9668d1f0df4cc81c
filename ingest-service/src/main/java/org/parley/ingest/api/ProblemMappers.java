package org.parley.ingest.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.parley.ingest.kafka.PublishFailedException;

/** Every error leaves as application/problem+json; nothing a client sends can produce a stack trace. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ConfigProperty(name = "parley.ingest.retry-after")
    Duration retryAfter;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return Problems.response(e.status, e.getMessage(), e.errors, e.headers);
    }

    @ServerExceptionMapper
    public Response unavailable(PublishFailedException e) {
        return Problems.response(503, "The broker did not acknowledge in time, so nothing is promised: retry later "
                + "with the same eventId (retrying is safe, eventId is the idempotency key; a body sent without one "
                + "gets the same one again)", null, Map.of("eventIds", e.eventIds()),
                Map.of(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds()))));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        String detail = switch (status) {
            case 404 -> "There is nothing at this path";
            case 405 -> "This method is not allowed here";
            case 406 -> "Responses are application/json (errors application/problem+json)";
            case 415 -> "The body must be sent as Content-Type: application/json";
            default -> e.getMessage();
        };
        String allow = original.getHeaderString(HttpHeaders.ALLOW);
        return Problems.response(status, detail, null, allow == null ? Map.of() : Map.of(HttpHeaders.ALLOW, allow));
    }

    @ServerExceptionMapper
    public Response completion(CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof PublishFailedException failed) {
            return unavailable(failed);
        }
        if (cause instanceof ProblemException problem) {
            return problem(problem);
        }
        return unexpected(cause != null ? cause : e);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected error", e);
        return Problems.response(500, "Unexpected error; it has been logged", null, Map.of());
    }
}
