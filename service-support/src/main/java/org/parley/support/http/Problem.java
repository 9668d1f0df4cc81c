package org.parley.support.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.parley.contract.FieldError;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * RFC 9457 problem details, the body of every error response of both services. Written by its own mapper, not
 * the application's, so that every error looks the same whoever raised it; {@code errors} only where fields or
 * parameters are named. The record is also what the OpenAPI documents describe.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    public static Problem of(int status, String detail, List<FieldError> errors) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return new Problem("about:blank", known == null ? "HTTP " + status : known.getReasonPhrase(), status, detail,
                errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    }

    public Response toResponse() {
        return toResponse(Map.of(), Map.of());
    }

    /** With extension members (RFC 9457 section 3.2), such as the eventIds a 503 concerns, and headers. */
    public Response toResponse(Map<String, Object> extensions, Map<String, String> headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("errors", errors);
        body.putAll(extensions);
        Response.ResponseBuilder response = Response.status(status).type(PROBLEM_JSON).entity(bytes(body));
        headers.forEach(response::header);
        return response.build();
    }

    /** Whether a response already carries a problem (one built here, say, inside a WebApplicationException). */
    public static boolean isProblem(Response response) {
        MediaType type = response.getMediaType();
        return type != null && type.isCompatible(PROBLEM_JSON);
    }

    private static byte[] bytes(Map<String, Object> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
