package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.parley.status.Management;
import org.parley.status.Parley;
import org.parley.status.TopicTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;

/**
 * A read flood cannot stall the fold: dozens of anonymous readers of asOf and /timeline on a long history
 * (20,000 statements; -Dread-flood-test.statements=200000 for the case) while statements are posted on
 * another relationship. Every one of those is folded exactly once while the flood goes on, the consumer stays
 * ready throughout, and readers get answers or 503/429 with Retry-After, never another error. How much the
 * flood delays the fold is a benchmark figure (bin/bench, "time until visible"), logged here only.
 */
@QuarkusTest
@TestProfile(AsOfLongHistoryTest.ProductionSnapshots.class)
class ReadFloodTest extends TopicTest {
    private static final Logger LOG = Logger.getLogger(ReadFloodTest.class);
    private static final int N = Integer.getInteger("read-flood-test.statements", 20_000);
    private static final int READERS = 36;
    private static final int POSTED = 30;
    /** Each reader stops after this many requests even if the flood is still on: the test's cost is bounded. */
    private static final int MAX_READS_PER_READER = 400;
    private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");

    @Inject
    DataSource dataSource;

    @Test
    void statementsOnAnotherRelationshipAreFoldedWhileReadersFlood() throws Exception {
        String a = country(), b = country(), c = country(), d = country();
        String flooded = "/relationships/" + a + "/" + b;
        publish(kafka, statement("INVITATION_ISSUED", a, b, BASE.minus(Duration.ofDays(1))));
        await().atMost(Duration.ofSeconds(120)).untilAsserted(
                () -> given().get(flooded).then().statusCode(200).body("eventCount", equalTo(1)));
        LongHistory.insert(dataSource, Parley.relationshipId(a, b), a, b, N, BASE);
        publish(kafka, statement("NO_RESPONSE", b, a, BASE.minus(Duration.ofDays(2))));
        await().atMost(Duration.ofSeconds(300)).untilAsserted(
                () -> given().get(flooded).then().statusCode(200).body("eventCount", equalTo(2 + N)));

        String posted = Parley.relationshipId(c, d);
        List<Long> quiet = postAndAwait(c, d);
        double appliedBefore = Parley.metric("parley_statements_applied_total");

        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        AtomicInteger missingRetryAfter = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<String> notReady = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
        try {
            for (int r = 0; r < READERS; r++) {
                pool.submit(() -> read(flooded, stop, statuses, missingRetryAfter));
            }
            pool.submit(() -> watchReadiness(stop, notReady));
            // The flood is under way before the first statement is posted.
            await().atMost(Duration.ofSeconds(60)).until(() -> total(statuses) >= READERS);
            List<Long> flood = postAndAwait(c, d);
            LOG.infof("visible after, ms: quiet p50 %d / max %d; under %d readers of %,d statements p50 %d / max %d"
                    + " (%d reads so far)", percentile(quiet, 50), percentile(quiet, 100), READERS, N,
                    percentile(flood, 50), percentile(flood, 100), total(statuses));
        } finally {
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(statuses.keySet()).as("statuses answered to readers").isSubsetOf(200, 429, 503).contains(200);
        assertThat(missingRetryAfter).as("503/429 without Retry-After").hasValue(0);
        assertThat(notReady).as("readiness during the flood").isEmpty();
        assertThat(Parley.metric("parley_statements_applied_total") - appliedBefore).isEqualTo(POSTED);
        assertThat(storedCount(posted)).isEqualTo(2L * POSTED);
        given().get("/relationships/" + c + "/" + d).then().statusCode(200).body("eventCount", equalTo(2 * POSTED));
    }

    /** Posts POSTED statements on c–d, one every 50 ms, and waits until all are stored: applied_at - recorded_at of each, in ms. */
    private List<Long> postAndAwait(String c, String d) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < POSTED; i++) {
            Instant now = Instant.now();
            var node = statement("NO_RESPONSE", d, c, now.minusSeconds(1));
            node.put("recordedAt", now.toString());
            ids.add(node.get("eventId").asText());
            publish(kafka, node);
            Thread.sleep(50); // pacing the posts, not waiting for a condition
        }
        List<Long> latencies = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            latencies.clear();
            latencies.addAll(latencies(ids));
            return latencies.size() == ids.size();
        });
        return latencies;
    }

    private void read(String flooded, AtomicBoolean stop, Map<Integer, LongAdder> statuses, AtomicInteger missingRetryAfter) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + RestAssured.port + flooded;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int n = 0; n < MAX_READS_PER_READER && !stop.get(); n++) {
            String uri = n % 2 == 0
                    ? base + "?asOf=" + BASE.plusSeconds(60L * random.nextInt(N)).toString()
                    : base + "/timeline";
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(uri))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
                statuses.computeIfAbsent(response.statusCode(), s -> new LongAdder()).increment();
                if ((response.statusCode() == 503 || response.statusCode() == 429)
                        && response.headers().firstValue("Retry-After").isEmpty()) {
                    missingRetryAfter.incrementAndGet();
                }
            } catch (Exception e) {
                statuses.computeIfAbsent(-1, s -> new LongAdder()).increment();
            }
        }
    }

    private static void watchReadiness(AtomicBoolean stop, List<String> notReady) {
        HttpClient http = HttpClient.newHttpClient();
        while (!stop.get()) {
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(Management.url("/health/ready")))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() != 200) {
                    synchronized (notReady) {
                        notReady.add(ready.body());
                    }
                }
                Thread.sleep(100); // a probe's period, as Kubernetes would
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                synchronized (notReady) {
                    notReady.add(e.toString());
                }
            }
        }
    }

    private static long total(Map<Integer, LongAdder> statuses) {
        return statuses.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private List<Long> latencies(List<String> ids) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT (1000 * extract(epoch FROM applied_at - recorded_at))::bigint FROM statement"
                        + " WHERE event_id = ANY (?::uuid[])")) {
            select.setArray(1, c.createArrayOf("text", ids.toArray()));
            List<Long> found = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
            return found;
        }
    }

    private long storedCount(String relationshipId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement count = c.prepareStatement(
                "SELECT count(*) FROM statement WHERE relationship_id = ?")) {
            count.setString(1, relationshipId);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.round(p / 100.0 * (sorted.size() - 1))));
    }
}
