package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TopicTest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The timeline a page at a time, in exact fold order even where the stored columns tie. */
@QuarkusTest
class TimelinePagesTest extends TopicTest {
    private static final Instant T0 = Instant.parse("2025-10-24T03:00:00Z");

    /** A page's ETag validates that page: later pages growing leave it, a change on the page moves it. */
    @Test
    void aPageETagChangesWithThePageOnly() {
        String a = country(), b = country();
        ObjectNode first = statement("INVITATION_ISSUED", a, b, T0);
        publish(kafka, first, statement("NO_RESPONSE", b, a, T0.plusSeconds(60)),
                statement("NO_RESPONSE", b, a, T0.plusSeconds(120)));
        String path = "/relationships/" + a + "/" + b;
        RelationshipApiTest.awaitEventCount(path, 3);
        String etag = given().queryParam("limit", 2).get(path + "/timeline").then().statusCode(200)
                .extract().header("ETag");
        assertThat(etag).matches("\"t-[0-9a-f]{16}\"");

        // A statement sorting onto a later page: this page, its entries and its next are unchanged.
        publish(kafka, statement("NO_RESPONSE", b, a, T0.plusSeconds(180)));
        RelationshipApiTest.awaitEventCount(path, 4);
        given().queryParam("limit", 2).header("If-None-Match", etag).get(path + "/timeline").then().statusCode(304)
                .header("ETag", etag);

        // A correction of an entry on the page: its effect changes, so does the ETag.
        publish(kafka, statement("STATEMENT_RETRACTED", a, b, T0.plusSeconds(240))
                .put("retracts", first.get("eventId").asText()));
        RelationshipApiTest.awaitEventCount(path, 3);
        given().queryParam("limit", 2).header("If-None-Match", etag).get(path + "/timeline").then().statusCode(200)
                .header("ETag", org.hamcrest.Matchers.not(etag)).body("entries[0].effect", equalTo("RETRACTED"));
    }

    @Test
    void pagesFollowTheExactFoldOrderAcrossTiesAndNanoseconds() {
        String a = country(), b = country();
        List<ObjectNode> statements = new ArrayList<>();
        statements.add(statement("INVITATION_ISSUED", a, b, T0.minusSeconds(60)));
        // Same occurredAt and recordedAt: ordered by eventId as java.util.UUID compares (signed), which is
        // not PostgreSQL's uuid order: f… sorts before 0… here.
        for (String prefix : List.of("0", "7", "8", "f", "3", "c")) {
            statements.add(withId(statement("NO_RESPONSE", b, a, T0), prefix));
        }
        // Stored as the same microsecond, apart by nanoseconds; the later one has the earlier recordedAt.
        ObjectNode early = statement("NO_RESPONSE", b, a, T0.plusSeconds(60).plusNanos(100));
        ObjectNode late = statement("NO_RESPONSE", b, a, T0.plusSeconds(60).plusNanos(400));
        late.put("recordedAt", T0.plusSeconds(60).plusMillis(500).toString());
        statements.add(late);
        statements.add(early);
        publish(kafka, statements);
        String path = "/relationships/" + a + "/" + b;
        RelationshipApiTest.awaitEventCount(path, statements.size());

        List<String> expected = statements.stream().sorted(Comparator
                .comparing((ObjectNode s) -> Instant.parse(s.get("occurredAt").asText()))
                .thenComparing(s -> Instant.parse(s.get("recordedAt").asText()))
                .thenComparing(s -> UUID.fromString(s.get("eventId").asText())))
                .map(s -> s.get("eventId").asText()).toList();

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get(path + "/timeline");
            page.then().statusCode(200).body("id", equalTo(Parley.relationshipId(a, b)));
            seen.addAll(page.jsonPath().getList("entries.eventId"));
            cursor = page.jsonPath().getString("next");
            if (cursor != null) {
                assertThat(page.header("Link")).contains("rel=\"next\"").contains("cursor=" + cursor);
            } else {
                assertThat(page.header("Link")).isNull();
            }
            pages++;
        } while (cursor != null);
        assertThat(seen).isEqualTo(expected);
        assertThat(pages).isEqualTo(5);

        // One page holds everything by default.
        given().get(path + "/timeline").then().statusCode(200).body("entries.eventId", equalTo(expected))
                .body("next", equalTo(null));
    }

    @Test
    void badPagingParametersAreProblems() {
        String a = country(), b = country();
        publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
        String path = "/relationships/" + a + "/" + b;
        RelationshipApiTest.awaitEventCount(path, 1);
        given().queryParam("cursor", "not-a-cursor").get(path + "/timeline").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", contains("cursor"));
        given().queryParam("limit", 0).get(path + "/timeline").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", contains("limit"));
        given().queryParam("limit", 1001).get(path + "/timeline").then().statusCode(400)
                .body("errors.field", contains("limit"));
        given().queryParam("limit", "many").get(path + "/timeline").then().statusCode(400)
                .contentType("application/problem+json");
        given().queryParam("limit", "many").get("/relationships").then().statusCode(400)
                .contentType("application/problem+json");
    }

    private static ObjectNode withId(ObjectNode statement, String prefix) {
        String id = UUID.randomUUID().toString();
        return statement.put("eventId", prefix + id.substring(1));
    }
}
