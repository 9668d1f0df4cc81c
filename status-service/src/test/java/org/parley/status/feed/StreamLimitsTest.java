package org.parley.status.feed;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.list;
import static org.parley.status.Parley.metric;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TopicTest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** What a stream may cost the service: connections are capped, a client that stops reading is bounded. */
@QuarkusTest
class StreamLimitsTest extends TopicTest {
    private static final Instant T0 = Instant.parse("2025-11-01T00:00:00Z");

    /** Leave the instance as found: the next test may open a stream at once, and this class fills the cap. */
    @AfterEach
    void streamsClosed() {
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("parley_streams_open") == 0);
    }

    static int config(String name) {
        return ConfigProvider.getConfig().getValue(name, Integer.class);
    }

    @Test
    void beyondTheCapNewStreamsGet503UntilOneCloses() throws Exception {
        int cap = config("parley.stream.max-connections");
        String party = country();
        List<EventStream> open = new ArrayList<>();
        try {
            // Streams of earlier tests close asynchronously: start from none, so the count below is exact.
            await().atMost(Duration.ofSeconds(30)).until(() -> metric("parley_streams_open") == 0);
            for (int i = 0; i < cap; i++) {
                EventStream stream = EventStream.open("/relationships/stream?party=" + party);
                assertThat(stream.response.statusCode()).isEqualTo(200);
                open.add(stream);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> metric("parley_streams_open") == cap);
            given().get("/relationships/" + party + "/" + country() + "/stream").then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("status", equalTo(503));

            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> metric("parley_streams_open") < cap);
            EventStream again = EventStream.open("/relationships/stream?party=" + party);
            open.add(again);
            assertThat(again.response.statusCode()).isEqualTo(200);
        } finally {
            open.forEach(EventStream::close);
        }
    }

    @Test
    void aClientThatStopsReadingIsResynchronisedThenDroppedWhileOthersGetEverything() throws Exception {
        int buffer = config("parley.stream.buffer");
        String party = country();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            others.add(country());
        }
        double resyncs = metric("parley_streams_resyncs_total");
        double dropped = metric("parley_streams_dropped_total");

        try (Socket slow = new Socket(); EventStream reader = EventStream.open("/relationships/stream?party=" + party)) {
            slow.setReceiveBufferSize(2048);
            slow.connect(new InetSocketAddress("127.0.0.1", RestAssured.port));
            OutputStream out = slow.getOutputStream();
            out.write(("GET /relationships/stream?party=" + party + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> metric("parley_streams_open") >= 2);

            int rounds = 10;
            for (int round = 1; round <= rounds; round++) {
                List<ObjectNode> statements = new ArrayList<>();
                for (String other : others) {
                    statements.add(list(statement("CONDITIONS_REITERATED", party, other, T0.plusSeconds(round)),
                            "conditions", "Condition number " + round));
                }
                publish(kafka, statements);
                int version = round;
                await().atMost(Duration.ofSeconds(60)).until(() -> latestVersions(reader).values().stream()
                        .filter(v -> v >= version).count() == others.size());
                // What waits in the service's queues stays within one buffer per open client.
                assertThat(metric("parley_streams_buffered")).isLessThanOrEqualTo(buffer * metric("parley_streams_open"));
            }
            // The reader saw the final state of every relationship.
            assertThat(latestVersions(reader)).hasSize(others.size()).allSatisfy((id, v) -> assertThat(v).isEqualTo(rounds));
            // The slow one overflowed its buffer (resynchronised from the database, not queued), then, never
            // reading, was dropped: the server closes the connection.
            assertThat(metric("parley_streams_resyncs_total")).isGreaterThan(resyncs);
            await().atMost(Duration.ofSeconds(30)).until(() -> metric("parley_streams_dropped_total") > dropped);
            slow.setSoTimeout(30_000);
            InputStream in = slow.getInputStream();
            byte[] chunk = new byte[8192];
            while (in.read(chunk) >= 0) {
                // drain what the kernel held until the server's close arrives
            }
        }
    }

    private static Map<String, Long> latestVersions(EventStream stream) {
        Map<String, Long> versions = new HashMap<>();
        for (EventStream.Event e : stream.dataEvents()) {
            var data = StreamTest.data(e);
            versions.merge(data.get("id").asText(), data.get("version").asLong(), Math::max);
        }
        return versions;
    }
}
