package org.parley.status.feed;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.parley.status.TopicTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * Streams and held long-polls take slots per client and per instance: past the client's share 429, past the
 * instance's 503, both problem+json with Retry-After. The test connects from 127.0.0.1, set as a trusted proxy,
 * so that X-Forwarded-For names a different client per request.
 */
@QuarkusTest
@TestProfile(ClientLimitsTest.SmallShares.class)
class ClientLimitsTest extends TopicTest {
    private static final Instant T0 = Instant.parse("2025-11-20T00:00:00Z");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static class SmallShares implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.stream.max-connections", "5", "parley.stream.max-per-client", "2",
                    "parley.stream.trusted-proxies", "127.0.0.1,::1", "parley.stream.retry-after", "7s");
        }
    }

    @Test
    void oneClientGetsItsShareAndTheInstanceItsCap() throws Exception {
        String a = country(), b = country();
        publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
        String path = "/relationships/" + a + "/" + b;
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().get(path).then().statusCode(200));
        String etag = given().get(path).header("ETag");
        String stream = "/relationships/" + a + "/" + b + "/stream";
        List<EventStream> open = new ArrayList<>();
        CompletableFuture<HttpResponse<String>> held = null;
        try {
            open.add(stream("203.0.113.1", stream));
            open.add(stream("203.0.113.1", stream));
            // X has its two: a third stream or a long-poll of X is 429
            refused("203.0.113.1", stream, null, 429);
            refused("203.0.113.1", path, etag, 429);

            // Y's held long-poll takes one of Y's slots
            held = longPoll("203.0.113.2", path, etag);
            await().atMost(Duration.ofSeconds(10)).until(() -> metric("parley_long_polls_waiting") == 1);
            open.add(stream("203.0.113.2", stream));
            refused("203.0.113.2", stream, null, 429);
            assertThat(held).isNotDone();

            // 5 slots taken on the instance: anyone else gets 503
            open.add(stream("203.0.113.3", stream));
            assertThat(metric("parley_client_slots")).isEqualTo(5);
            refused("203.0.113.4", stream, null, 503);
            refused("203.0.113.4", path, etag, 503);
            // a plain read takes no slot
            given().header("X-Forwarded-For", "203.0.113.4").get(path).then().statusCode(200);

            // a stream closes: its slot is free for another client
            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> metric("parley_client_slots") == 4);
            open.add(stream("203.0.113.4", stream));

            // the long-poll answers when the relationship moves, and gives its slot back
            publish(kafka, statement("NO_RESPONSE", b, a, T0.plusSeconds(60)));
            assertThat(held.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> metric("parley_client_slots") == 4);
            open.add(stream("203.0.113.2", stream));
        } finally {
            open.forEach(EventStream::close);
            if (held != null) {
                held.cancel(true);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("parley_client_slots") == 0);
    }

    private static EventStream stream(String client, String path) throws Exception {
        EventStream stream = EventStream.open(path, Map.of("X-Forwarded-For", client));
        assertThat(stream.response.statusCode()).as("stream of %s", client).isEqualTo(200);
        return stream;
    }

    private static void refused(String client, String path, String etag, int status) {
        var request = given().header("X-Forwarded-For", client);
        if (etag != null) {
            request.header("If-None-Match", etag).header("Prefer", "wait=30");
        }
        request.get(path).then().statusCode(status).contentType("application/problem+json")
                .header("Retry-After", "7").body("status", equalTo(status));
    }

    private static CompletableFuture<HttpResponse<String>> longPoll(String client, String path, String etag) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                .header("If-None-Match", etag).header("Prefer", "wait=30").header("X-Forwarded-For", client)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
