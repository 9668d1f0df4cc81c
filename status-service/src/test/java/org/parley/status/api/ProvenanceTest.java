package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.list;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.parley.status.TopicTest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;

/** GET .../provenance over real storage: the seed story's shape, with a correction, now and asOf. */
@QuarkusTest
class ProvenanceTest extends TopicTest {
    private static final Instant T0 = Instant.parse("2025-07-29T00:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void eachFieldCitesTheStatementsBehindIt() {
        String a = country(), b = country();
        ObjectNode c1 = list(statement("CONDITIONS_REITERATED", b, a, T0), "conditions", "Recognition", "No talks");
        ObjectNode c2 = list(statement("CONDITIONS_REITERATED", b, a, T0.plus(DAY)), "conditions", "recognition ");
        ObjectNode i1 = statement("INVITATION_ISSUED", a, b, T0.plus(DAY.multipliedBy(2)));
        ObjectNode i2 = list(statement("INVITATION_ISSUED", a, b, T0.plus(DAY.multipliedBy(3))), "incentives",
                "Sanctions relief").put("speaker", "The President").put("sourceUrl", "https://example.org/i2");
        ObjectNode n1 = statement("NO_RESPONSE", b, a, T0.plus(DAY.multipliedBy(4)));
        ObjectNode declined = statement("INVITATION_DECLINED", b, a, T0.plus(DAY.multipliedBy(4)).plusSeconds(3600));
        ObjectNode n2 = statement("NO_RESPONSE", b, a, T0.plus(DAY.multipliedBy(5)));
        ObjectNode correction = statement("STATEMENT_RETRACTED", b, a, T0.plus(DAY.multipliedBy(6)))
                .put("retracts", declined.get("eventId").asText());
        publish(kafka, c1, c2, i1, i2, n1, declined, n2, correction);
        String path = "/relationships/" + a + "/" + b;
        RelationshipApiTest.awaitEventCount(path, 6);

        given().get(path + "/provenance").then().statusCode(200)
                .body("fields.status.value", equalTo("NO_RESPONSE"))
                .body("fields.status.statements.eventId", contains(id(i2), id(n1)))
                .body("fields.status.rule", startsWith("NO_RESPONSE from the invitee of an open invitation"))
                .body("fields.invitation.value.eventId", equalTo(id(i2)))
                .body("fields.invitation.statements[0].speaker", equalTo("The President"))
                .body("fields.invitation.statements[0].sourceUrl", equalTo("https://example.org/i2"))
                .body("fields.awaiting.value.awaitingResponseFrom", equalTo(b))
                .body("fields.awaiting.value.silentSince", equalTo(i2.get("occurredAt").asText()))
                .body("fields.awaiting.statements.eventId", contains(id(i2), id(n1)))
                .body("fields.lastEvent.statements.eventId", contains(id(n2)))
                .body("fields.meeting.value", nullValue())
                .body("fields.meeting.statementCount", equalTo(0))
                .body("conditions." + b + ".text", contains("Recognition", "No talks"))
                .body("conditions." + b + "[0].statements.eventId", contains(id(c1), id(c2)))
                .body("conditions." + b + "[0].timesStated", equalTo(2))
                .body("incentives." + a + "[0].statements.eventId", contains(id(i2)))
                .body("overridden.find { it.field == 'invitation' }.statement.eventId", equalTo(id(i1)))
                .body("overridden.find { it.field == 'invitation' }.by", equalTo(id(i2)))
                .body("retracted.statement.eventId", contains(id(declined)))
                .body("retracted[0].by.eventId", equalTo(id(correction)))
                .body("retractedCount", equalTo(1));

        // as it stood after the first invitation
        given().queryParam("asOf", T0.plus(DAY.multipliedBy(2)).plusSeconds(60).toString()).get(path + "/provenance")
                .then().statusCode(200)
                .body("asOf", equalTo(T0.plus(DAY.multipliedBy(2)).plusSeconds(60).toString()))
                .body("fields.status.value", equalTo("INVITATION_OPEN"))
                .body("fields.status.statements.eventId", contains(id(i1)))
                .body("fields.status.rule", startsWith("INVITATION_ISSUED opens an invitation"))
                .body("overridden.size()", equalTo(0));

        given().queryParam("asOf", "yesterday").get(path + "/provenance").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("asOf"));
        given().get("/relationships/" + country() + "/" + country() + "/provenance").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static String id(ObjectNode statement) {
        return statement.get("eventId").asText();
    }
}
