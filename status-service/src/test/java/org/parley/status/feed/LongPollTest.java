package org.parley.status.feed;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.metric;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TopicTest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** GET /relationships/{a}/{b} with If-None-Match and Prefer: wait=N (RFC 7240). */
@QuarkusTest
class LongPollTest extends TopicTest {
    private static final Instant T0 = Instant.parse("2025-10-24T03:00:00Z");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static CompletableFuture<HttpResponse<String>> poll(String path, String etag, String prefer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                .header("If-None-Match", etag).timeout(Duration.ofSeconds(90));
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void heldUntilTheVersionMovesThen200() throws Exception {
        String a = country(), b = country();
        publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
        StreamTest.awaitVersion(a, b, 1);
        String path = "/relationships/" + a + "/" + b;

        long started = System.nanoTime();
        String etag = given().get(path).header("ETag");
        var held = poll(path, etag, "wait=600"); // more than 60 is taken as 60
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("parley_long_polls_waiting") >= 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> !held.isDone());
        publish(kafka, statement("NO_RESPONSE", b, a, T0.plusSeconds(60)));
        HttpResponse<String> response = held.get(60, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("ETag")).hasValueSatisfying(tag -> assertThat(tag).startsWith("\"2"));
        assertThat(response.headers().firstValue("Preference-Applied")).hasValue("wait=60");
        assertThat(response.body()).contains("\"status\":\"NO_RESPONSE\"");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void answers304AfterTheWaitWhenNothingChanged() throws Exception {
        String a = country(), b = country();
        publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
        StreamTest.awaitVersion(a, b, 1);
        String path = "/relationships/" + a + "/" + b;

        long started = System.nanoTime();
        String etag = given().get(path).header("ETag");
        HttpResponse<String> response = poll(path, etag, "respond-async, wait=2").get(30, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.headers().firstValue("ETag")).hasValue(etag);
        assertThat(response.headers().firstValue("Preference-Applied")).hasValue("wait=2");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1900));

        // Without Prefer, or with a stale ETag, nothing is held.
        given().header("If-None-Match", etag).get(path).then().statusCode(304);
        assertThat(poll(path, "\"0\"", "wait=30").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void heldRequestsHoldNoWorkerThread() throws Exception {
        String a = country(), b = country();
        publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
        StreamTest.awaitVersion(a, b, 1);
        String path = "/relationships/" + a + "/" + b;
        // More held requests than the service has worker threads (quarkus.thread-pool.max-threads = 16).
        String etag = given().get(path).header("ETag");
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            held.add(poll(path, etag, "wait=20"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("parley_long_polls_waiting") >= 24);
        // Ordinary reads are answered while every one of them is still held, not after.
        given().get(path).then().statusCode(200);
        given().get("/relationships").then().statusCode(200);
        assertThat(held).noneMatch(CompletableFuture::isDone);
        for (var response : held) {
            assertThat(response.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(304);
        }
    }
}
