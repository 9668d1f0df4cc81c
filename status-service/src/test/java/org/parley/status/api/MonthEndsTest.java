package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.publishStatements;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.parley.contract.RelationshipId;
import org.parley.contract.Statement;
import org.parley.status.Projections;
import org.parley.status.TopicTest;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipFold;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * month-ends folds on from one month's end to the next, jumping to fold snapshots (every 3 statements in the
 * test profile): each month must be what folding the whole stored history in memory gives at that instant
 * ({@link RelationshipFold#foldAsOf}, as AsOfTest holds ?asOf to), for generated three-year histories with late
 * reports, ties, duplicates and corrections.
 */
@QuarkusTest
class MonthEndsTest extends TopicTest {
    private static final Instant ORIGIN = Instant.parse("2025-06-01T00:00:00Z");

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;

    @Test
    void everyMonthIsTheFoldOfTheStoredHistoryAtItsEnd() throws Exception {
        String a = country(), b = country();
        String id = RelationshipId.of(a, b);
        List<Statement> history = AsOfTest.history(new Random(7), a, b, 150, Duration.ofDays(7));
        for (int from = 0; from < history.size(); from += 50) { // later rounds arrive late and refold
            publishStatements(kafka, history.subList(from, Math.min(history.size(), from + 50)));
        }
        long distinct = history.stream().map(Statement::eventId).distinct().count();
        await().atMost(Duration.ofSeconds(120)).until(() -> Projections.storedStatements(dataSource, id).size() == distinct);
        List<Statement> stored = Projections.storedStatements(dataSource, id);
        List<String> parties = RelationshipId.parties(id);
        Instant until = Instant.parse("2028-03-17T12:00:00Z"); // past the last statement, mid-month

        JsonNode months = json.readTree(given().queryParam("from", "2025-04").queryParam("until", until.toString())
                .get("/relationships/" + parties.get(0) + "/" + parties.get(1) + "/month-ends")
                .then().statusCode(200).extract().asByteArray()).get("months");

        assertThat(months).hasSize(36); // 2025-04 .. 2028-03
        YearMonth month = YearMonth.of(2025, 4);
        for (JsonNode point : months) {
            Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant asOf = end.isAfter(until) ? until : end;
            Relationship expected = RelationshipFold.foldAsOf(id, stored, asOf);
            assertThat(point.get("month").asText()).isEqualTo(month.toString());
            assertThat(Instant.parse(point.get("asOf").asText())).isEqualTo(asOf);
            assertThat(point.get("status").asText()).as("%s", month).isEqualTo(expected.status().name());
            assertThat(point.get("eventCount").asInt()).as("%s", month).isEqualTo(expected.eventCount());
            assertThat(text(point, "awaitingResponseFrom")).as("%s", month).isEqualTo(expected.awaitingResponseFrom());
            assertThat(point.get("silentSince").isNull() ? null : Instant.parse(point.get("silentSince").asText()))
                    .as("%s", month).isEqualTo(expected.silentSince());
            month = month.plusMonths(1);
        }
        assertThat(months.get(0).get("eventCount").asInt()).isZero(); // before the first statement
        assertThat(months.get(35).get("eventCount").asInt()).isPositive();
    }

    @Test
    void aSeriesIsBoundedAndItsMonthsValidated() {
        String a = country(), b = country();
        publishStatements(kafka, AsOfTest.history(new Random(8), a, b, 3));
        List<String> parties = RelationshipId.parties(RelationshipId.of(a, b));
        String path = "/relationships/" + parties.get(0) + "/" + parties.get(1) + "/month-ends";
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get(path).statusCode() == 200);

        for (String from : List.of("2025-13", "2025-1", "25-01", "2025-01-01", "0000-01")) {
            given().queryParam("from", from).get(path).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("from"));
        }
        given().queryParam("from", "2025-11").queryParam("until", "2025-10-31T23:59:59Z").get(path).then().statusCode(400)
                .body("errors[0].message", startsWith("must not be after until's month"));
        given().queryParam("from", "2020-10").queryParam("until", "2025-10-15T00:00:00Z").get(path).then().statusCode(400)
                .body("errors[0].message", startsWith("must be at most 60 months"));
        given().queryParam("from", "2020-11").queryParam("until", "2025-10-15T00:00:00Z").get(path).then().statusCode(200)
                .contentType(ContentType.JSON).body("months.size()", equalTo(60));
        given().queryParam("until", "2025-10-15T00:00:00Z").get(path).then().statusCode(200)
                .body("months.size()", equalTo(36)).body("months[35].month", equalTo("2025-10"));
        given().get("/relationships/" + country() + "/" + country() + "/month-ends").then() // nothing stated yet
                .statusCode(404).contentType("application/problem+json");
    }

    private static String text(JsonNode node, String field) {
        return node.get(field) == null || node.get(field).isNull() ? null : node.get(field).asText();
    }
}
