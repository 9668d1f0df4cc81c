package org.parley.status.api;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

/** Ends a request with a problem+json response. */
public class ProblemException extends RuntimeException {
    private final Problem problem;
    private final Map<String, String> headers;

    public ProblemException(int status, String detail, List<Problem.FieldError> errors) {
        this(status, detail, errors, Map.of());
    }

    private ProblemException(int status, String detail, List<Problem.FieldError> errors, Map<String, String> headers) {
        super(detail, null, false, false);
        this.problem = Problem.of(status, detail, errors);
        this.headers = headers;
    }

    public static ProblemException badRequest(List<Problem.FieldError> errors) {
        return new ProblemException(400, "Invalid request parameters", errors);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, detail, null);
    }

    public static ProblemException unauthorized(String detail, String wwwAuthenticate) {
        return new ProblemException(401, detail, null, Map.of("WWW-Authenticate", wwwAuthenticate));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, detail, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, detail, null);
    }

    public Problem problem() {
        return problem;
    }

    public Response toResponse() {
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.PROBLEM_JSON).entity(problem);
        headers.forEach(response::header);
        return response.build();
    }
}
