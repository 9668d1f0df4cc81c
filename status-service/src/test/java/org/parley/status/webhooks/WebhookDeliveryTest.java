package org.parley.status.webhooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TopicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * Webhooks end to end: statements on the real topic, folded into changes, delivered to a real HTTP receiver on
 * 127.0.0.1 and verified with the Standard Webhooks reference library.
 */
@QuarkusTest
class WebhookDeliveryTest extends TopicTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-04-01T09:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<Receiver> receivers = new ArrayList<>();

    @AfterEach
    void closeReceivers() {
        receivers.forEach(Receiver::close);
    }

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer dev-admin-token");
    }

    private Receiver receiver() throws Exception {
        Receiver r = new Receiver();
        receivers.add(r);
        return r;
    }

    static JsonPath register(String url, List<String> parties, List<String> statuses) {
        return admin().contentType(ContentType.JSON)
                .body(Map.of("url", url, "parties", parties, "statuses", statuses))
                .post("/admin/webhooks").then().statusCode(201)
                .body("secret", startsWith("whsec_")).body("enabled", equalTo(true))
                .extract().jsonPath();
    }

    private static void verify(String secret, Receiver.Request request) throws Exception {
        new Webhook(secret).verify(request.body(), request.headers());
    }

    private static JsonNode body(Receiver.Request request) throws Exception {
        return JSON.readTree(request.body());
    }

    @Test
    void eachMatchingChangeIsDeliveredSignedSoThatTheReferenceLibraryVerifiesIt() throws Exception {
        String a = country();
        String b = country();
        Receiver receiver = receiver();
        JsonPath endpoint = register(receiver.url(), List.of(a), List.of());
        String secret = endpoint.getString("secret");
        ObjectNode invited = statement("INVITATION_ISSUED", a, b, T0);
        publish(kafka, invited);
        await().atMost(WAIT).until(() -> receiver.requests.size() == 1);
        Receiver.Request request = receiver.requests.get(0);
        verify(secret, request);
        assertThat(request.header("webhook-id")).startsWith("msg_");
        assertThat(request.header("content-type")).isEqualTo("application/json");
        JsonNode body = body(request);
        assertThat(body.get("type").asText()).isEqualTo("relationship.changed");
        assertThat(body.at("/data/relationshipId").asText()).isEqualTo(Parley.relationshipId(a, b));
        assertThat(body.at("/data/statusAfter").asText()).isEqualTo("INVITATION_OPEN");
        assertThat(body.at("/data/causedBy").asText()).isEqualTo(invited.get("eventId").asText());
        String id = endpoint.getString("id");
        await().atMost(WAIT).untilAsserted(() -> admin().get("/admin/webhooks/" + id + "/deliveries?status=succeeded")
                .then().statusCode(200).body("webhookId", equalTo(List.of(request.header("webhook-id")))));
        // The secret is shown once: the list does not carry it.
        admin().get("/admin/webhooks").then().statusCode(200).body("find { it.id == '" + id + "' }.secret", equalTo(null));

        // Redelivery and a replayed range send the same delivery again with its original id.
        String webhookId = request.header("webhook-id");
        admin().post("/admin/webhooks/" + id + "/deliveries/" + webhookId + "/redeliver").then().statusCode(202);
        await().atMost(WAIT).until(() -> receiver.requests.size() == 2);
        assertThat(receiver.requests.get(1).header("webhook-id")).isEqualTo(webhookId);
        verify(secret, receiver.requests.get(1));
        await().atMost(WAIT).untilAsserted(() -> admin().get("/admin/webhooks/" + id + "/deliveries?status=succeeded")
                .then().body("size()", equalTo(1)));
        admin().queryParam("from", Instant.now().minusSeconds(3600).toString()).queryParam("to", Instant.now().plusSeconds(60).toString())
                .post("/admin/webhooks/" + id + "/replay").then().statusCode(202).body("redelivered", equalTo(1));
        await().atMost(WAIT).until(() -> receiver.requests.size() == 3);
        assertThat(receiver.requests.get(2).header("webhook-id")).isEqualTo(webhookId);
        assertThat(receiver.requests.get(2).body()).isEqualTo(request.body());
    }

    @Test
    void filtersExcludeChangesThatDoNotMatch() throws Exception {
        String a = country();
        String b = country();
        Receiver accepted = receiver();
        Receiver elsewhere = receiver();
        String acceptedId = register(accepted.url(), List.of(a), List.of("ACCEPTED")).getString("id");
        String elsewhereId = register(elsewhere.url(), List.of(country()), List.of()).getString("id");
        publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
        await().atMost(WAIT).untilAsserted(() -> given().get("/relationships/" + a + "/" + b).then().statusCode(200)
                .body("status", equalTo("INVITATION_OPEN")));
        publish(kafka, statement("INVITATION_ACCEPTED", b, a, T0.plusSeconds(60)));
        await().atMost(WAIT).until(() -> accepted.requests.size() >= 1);
        // Changes are dispatched in order, one transaction for all endpoints: by now both changes were considered.
        await().atMost(WAIT).untilAsserted(() -> admin().get("/admin/webhooks/" + acceptedId + "/deliveries")
                .then().statusCode(200).body("size()", equalTo(1)).body("status", hasItem("succeeded")));
        assertThat(accepted.requests).hasSize(1);
        assertThat(body(accepted.requests.get(0)).at("/data/statusAfter").asText()).isEqualTo("ACCEPTED");
        assertThat(body(accepted.requests.get(0)).at("/data/statusBefore").asText()).isEqualTo("INVITATION_OPEN");
        admin().get("/admin/webhooks/" + elsewhereId + "/deliveries").then().statusCode(200).body("size()", equalTo(0));
        assertThat(elsewhere.requests).isEmpty();
    }

    @Test
    void aFailingReceiverGetsTheSameIdUntilItAnswers2xx() throws Exception {
        String a = country();
        Receiver receiver = receiver().answer(500, Map.of()).answer(503, Map.of("Retry-After", "0"))
                .answer(302, Map.of("Location", "http://127.0.0.1:1/elsewhere"));
        JsonPath endpoint = register(receiver.url(), List.of(a), List.of());
        publish(kafka, statement("INVITATION_ISSUED", a, country(), T0));
        await().atMost(WAIT).until(() -> receiver.requests.size() == 4);
        String webhookId = receiver.requests.get(0).header("webhook-id");
        for (Receiver.Request request : receiver.requests) {
            assertThat(request.header("webhook-id")).isEqualTo(webhookId);
            assertThat(request.body()).isEqualTo(receiver.requests.get(0).body());
            verify(endpoint.getString("secret"), request);
        }
        await().atMost(WAIT).untilAsserted(() -> admin().get("/admin/webhooks/" + endpoint.getString("id") + "/deliveries")
                .then().statusCode(200).body("[0].status", equalTo("succeeded")).body("[0].attempts", equalTo(4))
                .body("[0].lastResponseStatus", equalTo(204)));
    }

    @Test
    void a410DisablesTheEndpoint() throws Exception {
        String a = country();
        Receiver receiver = receiver().otherwise(410);
        String id = register(receiver.url(), List.of(a), List.of()).getString("id");
        publish(kafka, statement("INVITATION_ISSUED", a, country(), T0));
        await().atMost(WAIT).untilAsserted(() -> admin().get("/admin/webhooks/" + id).then().statusCode(200)
                .body("enabled", equalTo(false)).body("disabledReason", startsWith("The endpoint answered 410 Gone")));
        admin().get("/admin/webhooks/" + id + "/deliveries?status=failed").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].attempts", equalTo(1)).body("[0].lastResponseStatus", equalTo(410));
        assertThat(receiver.requests).hasSize(1);
    }

    @Test
    void anEndpointThatFailsEveryAttemptIsDisabledAndSaysWhy() throws Exception {
        String a = country();
        Receiver receiver = receiver().otherwise(500);
        String id = register(receiver.url(), List.of(a), List.of()).getString("id");
        publish(kafka, statement("INVITATION_ISSUED", a, country(), T0));
        // The test schedule: the first attempt and three retries.
        await().atMost(WAIT).untilAsserted(() -> admin().get("/admin/webhooks/" + id).then().statusCode(200)
                .body("enabled", equalTo(false)).body("disabledReason", startsWith("Every attempt of msg_")));
        admin().get("/admin/webhooks/" + id + "/deliveries?status=failed").then().statusCode(200)
                .body("[0].attempts", equalTo(4)).body("[0].lastError", startsWith("HTTP 500"));
        assertThat(receiver.requests).hasSize(4);
    }

    @Test
    void afterARotationOldAndNewSecretBothVerify() throws Exception {
        String a = country();
        Receiver receiver = receiver();
        JsonPath endpoint = register(receiver.url(), List.of(a), List.of());
        String old = endpoint.getString("secret");
        String current = admin().post("/admin/webhooks/" + endpoint.getString("id") + "/rotate").then().statusCode(200)
                .extract().path("secret");
        assertThat(current).startsWith("whsec_").isNotEqualTo(old);
        publish(kafka, statement("INVITATION_ISSUED", a, country(), T0));
        await().atMost(WAIT).until(() -> receiver.requests.size() == 1);
        Receiver.Request request = receiver.requests.get(0);
        assertThat(request.header("webhook-signature").split(" ")).hasSize(2);
        verify(old, request);
        verify(current, request);
    }

    @Test
    void registrationsAreCheckedAndAdminOnly() {
        given().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/hook"))
                .post("/admin/webhooks").then().statusCode(401);
        admin().contentType(ContentType.JSON).body(Map.of("url", "ftp://127.0.0.1/hook", "parties", List.of("XX"),
                "statuses", List.of("HAPPY")))
                .post("/admin/webhooks").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("url", "parties", "statuses")));
        admin().contentType(ContentType.JSON).body("{\"url\": \"http://127.0.0.1:9/\", \"parties\": \"USA\"}")
                .post("/admin/webhooks").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("parties"));
        admin().contentType(ContentType.JSON).body("[").post("/admin/webhooks").then().statusCode(400)
                .contentType("application/problem+json");
        admin().get("/admin/webhooks/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
        admin().get("/admin/webhooks/" + java.util.UUID.randomUUID() + "/deliveries").then().statusCode(404);
    }
}
