package org.parley.support.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.parley.contract.FieldError;

/** An error answer decided by our own code; ProblemMappers turns it into application/problem+json. */
public class ProblemException extends RuntimeException {
    private final Problem problem;
    private final Map<String, Object> extensions;
    private final Map<String, String> headers;

    public ProblemException(int status, String detail, List<FieldError> errors) {
        this(status, detail, errors, Map.of(), Map.of());
    }

    private ProblemException(int status, String detail, List<FieldError> errors, Map<String, Object> extensions,
            Map<String, String> headers) {
        super(detail, null, false, false); // an answer to the client, not a fault: no stack trace
        this.problem = Problem.of(status, detail, errors);
        this.extensions = extensions;
        this.headers = headers;
    }

    public static ProblemException badRequest(String detail, List<FieldError> errors) {
        return new ProblemException(400, detail, errors);
    }

    /** Parameters that are wrong, each named. */
    public static ProblemException badRequest(List<FieldError> errors) {
        return badRequest("Invalid request parameters", errors);
    }

    public static ProblemException unauthorized(String detail, String wwwAuthenticate) {
        return new ProblemException(401, detail, null, Map.of(), Map.of(HttpHeaders.WWW_AUTHENTICATE, wwwAuthenticate));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, detail, null);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, detail, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, detail, null);
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, detail, null);
    }

    /** 503 with Retry-After (whole seconds, at least one) and extension members naming what was not done. */
    public static ProblemException unavailable(String detail, Duration retryAfter, Map<String, Object> extensions) {
        return new ProblemException(503, detail, null, extensions,
                Map.of(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds()))));
    }

    public Problem problem() {
        return problem;
    }

    public Response toResponse() {
        return problem.toResponse(extensions, headers);
    }
}
