package org.parley.ingest.kafka;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.parley.ingest.Statements.TOKEN;
import static org.parley.ingest.Statements.json;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.parley.ingest.Statements;

/**
 * The broker is down (nothing listens at the configured address) and then back (the address forwards to the
 * real broker): batches get 503 + Retry-After by their deadline, workers stay free meanwhile, and a batch is
 * accepted once the broker is back.
 */
@QuarkusTest
@TestProfile(BrokerComesBackTest.BrokerDown.class)
class BrokerComesBackTest {
    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(2);

    /**
     * The port, the same in the profile and the test whatever class loader reads it. Not a parley.* key: the
     * service refuses unknown ones.
     */
    static int port() {
        synchronized (System.class) {
            String port = System.getProperty("ingest-test.broker-back-port");
            if (port == null) {
                port = Integer.toString(TcpForwarder.freePort());
                System.setProperty("ingest-test.broker-back-port", port);
            }
            return Integer.parseInt(port);
        }
    }

    public static class BrokerDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + port(),
                    "parley.kafka.batch-timeout", BATCH_TIMEOUT.toMillis() + "ms",
                    "parley.kafka.max-block", "1s",
                    "parley.kafka.request-timeout", "500ms",
                    "parley.kafka.delivery-timeout", "1s",
                    // Few workers: batches waiting for the broker must not hold them.
                    "quarkus.thread-pool.max-threads", "3");
        }
    }

    @Test
    void batchesAre503ByTheirDeadlineThenAcceptedOnceTheBrokerIsBack() throws Exception {
        List<List<Map<String, Object>>> down = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            down.add(Statements.many(1000));
            bodies.add(json(down.get(i)));
        }
        postBatch("[{").then().statusCode(400); // the client warmed up
        // Generous bounds: on a loaded 2-core box reading and validating six 1,000-statement bodies on three
        // workers takes seconds by itself. What must not happen is a wait per record (max-block each).
        Duration bound = BATCH_TIMEOUT.plusSeconds(30);
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<CompletableFuture<Long>> answered = new ArrayList<>();
            for (String body : bodies) {
                answered.add(CompletableFuture.supplyAsync(() -> {
                    long start = System.nanoTime();
                    postBatch(body).then().statusCode(503).contentType("application/problem+json")
                            .header("Retry-After", "5");
                    return (System.nanoTime() - start) / 1_000_000;
                }, clients));
            }
            // Meanwhile, with only three workers, requests that need one are still answered.
            long start = System.nanoTime();
            postBatch("[{").then().statusCode(400);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(bound);
            for (CompletableFuture<Long> millis : answered) {
                assertThat(Duration.ofMillis(millis.get())).isLessThan(bound);
            }
        } finally {
            clients.shutdownNow();
        }

        String real = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        assumeTrue(real != null && !real.isBlank(), "the broker's address is needed for the 'back' half");
        try (TcpForwarder broker = new TcpForwarder(real.split(",")[0].trim(), port())) {
            broker.start();
            List<Map<String, Object>> batch = Statements.many(50);
            String body = json(batch);
            Response accepted = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> postBatch(body), response -> response.statusCode() == 202);
            List<Integer> partitions = accepted.jsonPath().getList("partition");
            List<Long> offsets = accepted.jsonPath().getList("offset", Long.class);

            try (TopicProbe topic = TopicProbe.open()) {
                ConsumerRecord<String, String> first = topic.committedAt(partitions.get(0), offsets.get(0));
                assertThat(TopicProbe.header(first, "ce_id")).isEqualTo(batch.get(0).get("eventId"));
                // Nothing of the batches answered 503 reached the topic.
                Set<String> failed = new HashSet<>();
                down.forEach(b -> b.forEach(event -> failed.add((String) event.get("eventId"))));
                Map<TopicPartition, Long> from = new java.util.HashMap<>();
                topic.partitions().forEach(tp -> from.put(tp, 0L));
                long size = topic.size();
                topic.companion.consumeStrings().withIsolationLevel(IsolationLevel.READ_UNCOMMITTED)
                        .fromOffsets(from, Duration.ofSeconds(5)).awaitCompletion(Duration.ofSeconds(20))
                        .getRecords().forEach(r -> assertThat(failed).doesNotContain(TopicProbe.header(r, "ce_id")));
                assertThat(size).isGreaterThanOrEqualTo(batch.size());
            }
        }
    }

    private static Response postBatch(String body) {
        return given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(body).when().post("/events/batch");
    }
}
