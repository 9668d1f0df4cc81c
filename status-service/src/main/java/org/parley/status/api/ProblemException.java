package org.parley.status.api;

import java.util.List;

/** Ends a request with a problem+json response. */
public class ProblemException extends RuntimeException {
    private final Problem problem;

    public ProblemException(int status, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.problem = Problem.of(status, detail, errors);
    }

    public static ProblemException badRequest(List<Problem.FieldError> errors) {
        return new ProblemException(400, "Invalid request parameters", errors);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, detail, null);
    }

    public Problem problem() {
        return problem;
    }
}
