package org.parley.status.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** RFC 9457 problem details, the body of every error response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);

    /** Which parameter was wrong and why. */
    public record FieldError(String field, String message) {
    }

    public static Problem of(int status, String detail, List<FieldError> errors) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return new Problem("about:blank", known == null ? "HTTP " + status : known.getReasonPhrase(), status, detail,
                errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
