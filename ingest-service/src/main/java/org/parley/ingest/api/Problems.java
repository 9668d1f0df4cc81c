package org.parley.ingest.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.parley.contract.FieldError;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** RFC 9457 problem details. Serialised here so that every error looks the same, whoever raised it. */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private Problems() {
    }

    static Response response(int status, String detail, List<FieldError> errors, Map<String, String> headers) {
        return response(status, detail, errors, Map.of(), headers);
    }

    /** With extension members (RFC 9457 section 3.2), such as the eventIds a 503 concerns. */
    static Response response(int status, String detail, List<FieldError> errors, Map<String, Object> extensions,
            Map<String, String> headers) {
        Response.Status known = Response.Status.fromStatusCode(status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", known != null ? known.getReasonPhrase() : "HTTP " + status);
        body.put("status", status);
        body.put("detail", detail);
        if (errors != null) {
            body.put("errors", errors);
        }
        body.putAll(extensions);
        Response.ResponseBuilder response = Response.status(status).type(MEDIA_TYPE).entity(bytes(body));
        headers.forEach(response::header);
        return response.build();
    }

    private static byte[] bytes(Map<String, Object> body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
