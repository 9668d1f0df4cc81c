package org.parley.status.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;
import static org.parley.status.webhooks.WebhookDeliveryTest.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TopicTest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/** An endpoint's eventKinds filter: only changes caused by statements of those types are delivered. */
@QuarkusTest
class EventKindsTest extends TopicTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-05-01T09:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void onlyChangesCausedByTheChosenStatementTypesAreDelivered() throws Exception {
        String a = country();
        String b = country();
        try (Receiver receiver = new Receiver()) {
            String id = admin().contentType(ContentType.JSON).body(Map.of("url", receiver.url(), "parties", List.of(a),
                    "eventKinds", List.of("invitation_accepted", "NO_RESPONSE")))
                    .post("/admin/webhooks").then().statusCode(201)
                    .body("eventKinds", equalTo(List.of("INVITATION_ACCEPTED", "NO_RESPONSE")))
                    .extract().path("id");
            // One at a time, each visible before the next: statements folded in one batch make one change.
            List<ObjectNode> statements = List.of(statement("INVITATION_ISSUED", a, b, T0),
                    statement("NO_RESPONSE", b, a, T0.plusSeconds(3600)),
                    Parley.list(statement("INCENTIVE_OFFERED", a, b, T0.plusSeconds(7200)), "incentives", "Sanctions relief"),
                    statement("INVITATION_ACCEPTED", b, a, T0.plusSeconds(10800)));
            for (int i = 0; i < statements.size(); i++) {
                publish(kafka, statements.get(i));
                int count = i + 1;
                await().atMost(WAIT).until(() -> RestAssured.get("/relationships/" + a + "/" + b).statusCode() == 200
                        && RestAssured.get("/relationships/" + a + "/" + b).jsonPath().getInt("eventCount") == count);
            }
            // Every change was considered (the dispatcher works in change order), two of them matched.
            await().atMost(WAIT).untilAsserted(() -> admin().get("/admin/webhooks/" + id + "/deliveries?status=succeeded")
                    .then().statusCode(200).body("size()", equalTo(2)));
            assertThat(receiver.requests).extracting(r -> JSON.readTree(r.body()).at("/data/causedByType").asText())
                    .containsExactlyInAnyOrder("NO_RESPONSE", "INVITATION_ACCEPTED");
            assertThat(receiver.requests).extracting(r -> JSON.readTree(r.body()).at("/data/causedBy").asText())
                    .containsExactlyInAnyOrder(statements.get(1).get("eventId").asText(),
                            statements.get(3).get("eventId").asText());
        }
    }

    @Test
    void anUnknownKindIsRefused() {
        admin().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/hook", "eventKinds", List.of("GOSSIP")))
                .post("/admin/webhooks").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("eventKinds")));
    }
}
