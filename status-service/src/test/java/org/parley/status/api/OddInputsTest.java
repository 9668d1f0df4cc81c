package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.metric;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.parley.status.TopicTest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Inputs that do not fit get a 4xx problem (or, for a tag that matches nothing, the plain answer): never a 500. */
@QuarkusTest
class OddInputsTest extends TopicTest {
    private static final Instant T0 = Instant.parse("2025-11-10T00:00:00Z");

    @Test
    void oddInputsAreAnsweredNot500() throws Exception {
        String a = country(), b = country();
        publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
        String path = "/relationships/" + a + "/" + b;
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().get(path).then().statusCode(200));

        // A well-formed tag past any version matches nothing: the projection, at once, not a 500.
        for (String p : new String[] { path, "/relationships/" + country() + "/" + country() }) {
            int status = given().header("If-None-Match", "\"99999999999999999999\"").header("Prefer", "wait=1")
                    .get(p).then().extract().statusCode();
            assertThat(status).as(p).isIn(200, 404);
        }
        given().header("If-None-Match", "\"99999999999999999999\"").header("Prefer", "wait=1").get(path).then()
                .statusCode(200).body("eventCount", equalTo(1));

        // Prefer: a wait that is not a whole number of seconds is a 400; other preferences are ignored.
        for (String prefer : new String[] { "wait=abc", "wait=-1", "wait=1.5", "wait=", "respond-async, wait=x" }) {
            given().header("If-None-Match", "\"1\"").header("Prefer", prefer).get(path).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("Prefer"));
        }
        given().header("Prefer", "return=minimal, handling=lenient").get(path).then().statusCode(200);

        // asOf out of the years 0001..9999, or far too long
        for (String asOf : new String[] { "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
                "+999999999-12-31T23:59:59Z", "2025-01-01T00:00:00" + "0".repeat(200) + "Z" }) {
            given().queryParam("asOf", asOf).get(path).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("asOf"));
        }
        given().queryParam("asOf", "9999-12-31T23:59:59Z").get(path).then().statusCode(200).body("eventCount", equalTo(1));
        given().queryParam("asOf", "0001-01-01T00:00:00Z").get(path).then().statusCode(200).body("eventCount", equalTo(0));

        // cursors: over-long, not base64, out of range
        String far = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("+10000-01-01T00:00:00Z|+10000-01-01T00:00:00Z|" + java.util.UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        for (String cursor : new String[] { "A".repeat(2000), "!!!", far }) {
            given().queryParam("cursor", cursor).get(path + "/timeline").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("cursor"));
        }

        // numbers out of range or not numbers
        for (String limit : new String[] { "0", "1001", "99999999999", "-1" }) {
            given().queryParam("limit", limit).get(path + "/timeline").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        given().header("Last-Event-ID", "99999999999999999999").get(path + "/stream").then().statusCode(400)
                .contentType("application/problem+json");

        // A wait past any number is the longest wait: held until the relationship moves.
        String etag = given().get(path).header("ETag");
        CompletableFuture<HttpResponse<String>> held = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                        .header("If-None-Match", etag).header("Prefer", "wait=99999999999999999999999")
                        .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("parley_long_polls_waiting") >= 1);
        publish(kafka, statement("NO_RESPONSE", b, a, T0.plusSeconds(60)));
        HttpResponse<String> moved = held.get(60, TimeUnit.SECONDS);
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(moved.headers().firstValue("Preference-Applied")).hasValue("wait=60");
    }
}
