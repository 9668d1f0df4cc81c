package org.parley.ingest.api;

import java.util.List;
import java.util.Map;

import org.parley.contract.FieldError;

/** An error answer decided by our own code; ProblemMappers turns it into application/problem+json. */
public class ProblemException extends RuntimeException {
    final int status;
    final List<FieldError> errors;
    final Map<String, String> headers;

    ProblemException(int status, String detail, List<FieldError> errors, Map<String, String> headers) {
        super(detail, null, false, false); // an answer to the client, not a fault: no stack trace
        this.status = status;
        this.errors = errors;
        this.headers = headers;
    }

    static ProblemException badRequest(String detail, List<FieldError> errors) {
        return new ProblemException(400, detail, errors, Map.of());
    }

    static ProblemException invalid(List<FieldError> errors) {
        return badRequest(errors.size() == 1 ? "1 rule of the event contract is broken"
                : errors.size() + " rules of the event contract are broken", errors);
    }

    static ProblemException tooLarge(String detail) {
        return new ProblemException(413, detail, null, Map.of());
    }

    static ProblemException unauthorized(String detail, String wwwAuthenticate) {
        return new ProblemException(401, detail, null, Map.of("WWW-Authenticate", wwwAuthenticate));
    }
}
