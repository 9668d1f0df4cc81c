package org.parley.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.parley.ingest.Statements.TOKEN;
import static org.parley.ingest.Statements.json;
import static org.parley.ingest.Statements.valid;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.contract.StatementType;
import org.parley.ingest.Statements;
import org.parley.ingest.kafka.TopicProbe;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Bodies built to exhaust the service: each gets a 4xx problem+json, nothing is published, and ingest still
 * accepts a valid statement afterwards. The test JVM runs at -Xmx512m: reading a 4 MiB array of empty objects as
 * one tree (about 1.4 million nodes) four at a time exhausted such a heap.
 */
@QuarkusTest
class HostileBodiesTest {
    private static final String PROBLEM = "application/problem+json";
    private TopicProbe topic;

    @BeforeEach
    void open() {
        topic = TopicProbe.open();
    }

    @AfterEach
    void close() {
        topic.close();
    }

    /** "[{},{},...]" of just under 4 MiB: 1.4 million items. */
    private static byte[] emptyObjects() {
        int items = (4 * 1024 * 1024 - 2) / 3;
        StringBuilder body = new StringBuilder(items * 3 + 1).append('[');
        for (int i = 0; i < items; i++) {
            body.append(i == 0 ? "{}" : ",{}");
        }
        return body.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static int postBatch(byte[] body) {
        return hostile().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(new ByteArrayInputStream(body)).when().post("/events/batch")
                .then().contentType(PROBLEM).extract().statusCode();
    }

    /**
     * No filters, and bodies as streams over one shared byte[]: Quarkus' REST Assured setup logs every request
     * (to print it when a validation fails), and REST Assured turns a byte[] into a list of boxed bytes; either
     * takes far more heap for a million-item body than the service may use.
     */
    private static RequestSpecification hostile() {
        return given().noFilters();
    }

    @Test
    void severalMillionItemBatchesAtOnceAreRefusedAndIngestKeepsAnswering() {
        byte[] body = emptyObjects();
        assertThat(body.length).isLessThanOrEqualTo(4 * 1024 * 1024);
        long before = topic.size();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 4; round++) {
                List<CompletableFuture<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    answers.add(CompletableFuture.supplyAsync(() -> postBatch(body), clients));
                }
                assertThat(answers).allSatisfy(answer -> assertThat(answer.join()).isEqualTo(413));
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(topic.size()).isEqualTo(before);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(json(valid(StatementType.NO_RESPONSE)))
                .when().post("/events").then().statusCode(202);
    }

    @Test
    void deepNestingIsA400BeforeAnyTreeIsBuilt() {
        byte[] deep = ("[" + "[".repeat(100_000) + "]".repeat(100_000) + "]").getBytes(StandardCharsets.US_ASCII);
        var answer = hostile().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(new ByteArrayInputStream(deep)).when().post("/events/batch");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(400);
        assertThat(answer.contentType()).isEqualTo(PROBLEM);
        assertThat(answer.asString()).contains("nesting depth");
        byte[] deepEvent = ("{\"summary\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(StandardCharsets.US_ASCII);
        hostile().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(new ByteArrayInputStream(deepEvent)).when().post("/events")
                .then().statusCode(413).contentType(PROBLEM); // over 64 KiB: refused before parsing
        byte[] deepButSmall = ("{\"summary\":" + "[".repeat(1000) + "]".repeat(1000) + "}").getBytes(StandardCharsets.US_ASCII);
        answer = hostile().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(new ByteArrayInputStream(deepButSmall)).when().post("/events");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(400);
        assertThat(answer.asString()).contains("nesting depth");
    }

    @Test
    void hugeNumbersAndOutOfRangeInstantsAre400() {
        String hugeNumber = json(Statements.with(valid(StatementType.NO_RESPONSE), "occurredAt", "X"))
                .replace("\"X\"", "9".repeat(5000));
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(hugeNumber).when().post("/events")
                .then().statusCode(400).contentType(PROBLEM);
        for (String instant : List.of("+1000000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
                "99999-01-01T00:00:00Z", "2025-10-24T03:00:00+99:00", "1e400")) {
            given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                    .body(json(Statements.with(valid(StatementType.NO_RESPONSE), "occurredAt", instant)))
                    .when().post("/events").then().statusCode(400).contentType(PROBLEM);
            given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                    .body(json(Statements.with(valid(StatementType.MEETING_SCHEDULED), "meetingAt", instant)))
                    .when().post("/events").then().statusCode(400).contentType(PROBLEM);
        }
        String longString = json(Statements.with(valid(StatementType.NO_RESPONSE), "summary", "x".repeat(70_000)));
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("[" + longString + "]").when().post("/events/batch")
                .then().statusCode(400).contentType(PROBLEM);
    }
}
