package org.parley.support.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;
import org.parley.contract.FieldError;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The problem+json both services answer with: the members their clients and tests read. */
class ProblemTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode body(Response response) throws Exception {
        return JSON.readTree((byte[]) response.getEntity());
    }

    @Test
    void aBadRequestNamesEachField() throws Exception {
        Response response = ProblemException.badRequest(List.of(new FieldError("b", "must differ from a"))).toResponse();

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
        JsonNode body = body(response);
        assertThat(body.get("type").asText()).isEqualTo("about:blank");
        assertThat(body.get("title").asText()).isEqualTo("Bad Request");
        assertThat(body.get("status").asInt()).isEqualTo(400);
        assertThat(body.get("detail").asText()).isEqualTo("Invalid request parameters");
        assertThat(body.at("/errors/0/field").asText()).isEqualTo("b");
        assertThat(body.at("/errors/0/message").asText()).isEqualTo("must differ from a");
        assertThat(Problem.isProblem(response)).isTrue();
    }

    @Test
    void withoutErrorsOrDetailTheMembersAreLeftOut() throws Exception {
        JsonNode body = body(Problem.of(404, null, List.of()).toResponse());

        assertThat(body.has("errors")).isFalse();
        assertThat(body.has("detail")).isFalse();
        assertThat(body.get("title").asText()).isEqualTo("Not Found");
        assertThat(body(Problem.of(599, "odd", null).toResponse()).get("title").asText()).isEqualTo("HTTP 599");
    }

    @Test
    void unavailableCarriesRetryAfterAndItsExtensionMembers() throws Exception {
        Response response = ProblemException.unavailable("later", Duration.ofMillis(200), Map.of("eventIds", List.of("e1")))
                .toResponse();

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(body(response).at("/eventIds/0").asText()).isEqualTo("e1");
    }

    @Test
    void unauthorizedCarriesTheChallenge() {
        Response response = ProblemException.unauthorized("no", "Bearer realm=\"parley-test\"").toResponse();

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeaderString("WWW-Authenticate")).isEqualTo("Bearer realm=\"parley-test\"");
    }
}
