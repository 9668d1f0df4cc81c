package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.publishStatements;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.parley.contract.RelationshipId;
import org.parley.contract.Statement;
import org.parley.contract.StatementType;
import org.parley.status.Projections;
import org.parley.status.TopicTest;
import org.parley.status.domain.RelationshipFold;
import org.parley.status.view.RelationshipView;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * ?asOf starts from the fold snapshot nearest before the cut-off (a snapshot every 3 statements in effect in
 * the test profile) and folds only what follows it: its answers must be those of folding the whole stored
 * history in memory ({@link RelationshipFold#foldAsOf}), at every cut-off, for generated histories with late
 * reports, ties, duplicates and corrections (of earlier, later, unknown ids and of corrections).
 */
@QuarkusTest
class AsOfTest extends TopicTest {
    private static final Instant ORIGIN = Instant.parse("2025-06-01T00:00:00Z");
    private static final List<String> TEXTS = List.of("Sanctions relief", "Security guarantees", "Economic aid",
            "Recognition as a nuclear power");

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;

    @Test
    void asOfEqualsTheFoldOfTheWholeHistoryAtEveryCutOff() throws Exception {
        List<String> ids = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            String a = country(), b = country();
            ids.add(RelationshipId.of(a, b));
            List<Statement> history = history(new Random(seed), a, b, 150);
            // In several rounds, so that later rounds arrive late and refold over stored snapshots.
            for (int from = 0; from < history.size(); from += 50) {
                publishStatements(kafka, history.subList(from, Math.min(history.size(), from + 50)));
            }
            long distinct = history.stream().map(Statement::eventId).distinct().count();
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> Projections.storedStatements(dataSource, RelationshipId.of(a, b)).size() == distinct);
        }
        for (String id : ids) {
            // the last batch committed its projection with its statements: the fold is complete
            List<Statement> stored = Projections.storedStatements(dataSource, id);
            List<String> parties = RelationshipId.parties(id);
            String path = "/relationships/" + parties.get(0) + "/" + parties.get(1);
            Set<Instant> cutOffs = new TreeSet<>();
            cutOffs.add(ORIGIN.minusSeconds(1));
            cutOffs.add(ORIGIN.plus(Duration.ofDays(3650)));
            for (Statement s : stored) {
                cutOffs.add(s.occurredAt());
                cutOffs.add(s.occurredAt().minusNanos(1));
            }
            for (Instant asOf : cutOffs) {
                JsonNode expected = json.valueToTree(RelationshipView.of(RelationshipFold.foldAsOf(id, stored, asOf), null, null));
                JsonNode actual = json.readTree(given().queryParam("asOf", asOf.toString()).get(path)
                        .then().statusCode(200).extract().asByteArray());
                assertThat(actual).as("%s asOf %s", id, asOf).isEqualTo(expected);
            }
        }
    }

    /** n statements of one relationship in arrival order: out of order, with ties, duplicates and corrections. */
    static List<Statement> history(Random random, String a, String b, int n) {
        return history(random, a, b, n, Duration.ofMinutes(1));
    }

    /** The same, the i-th statement about i steps after the origin (late reports and ties as above). */
    static List<Statement> history(Random random, String a, String b, int n, Duration step) {
        List<Statement> statements = new ArrayList<>();
        List<UUID> ids = new ArrayList<>(); // fixed up front, so that a correction may name a later statement
        for (int i = 0; i < n; i++) {
            ids.add(UUID.randomUUID());
        }
        StatementType[] types = { StatementType.INVITATION_ISSUED, StatementType.NO_RESPONSE,
                StatementType.CONDITIONS_REITERATED, StatementType.INCENTIVE_OFFERED, StatementType.INVITATION_ACCEPTED,
                StatementType.INVITATION_DECLINED, StatementType.INVITATION_WITHDRAWN, StatementType.MEETING_SCHEDULED,
                StatementType.MEETING_HELD, StatementType.STATEMENT_RETRACTED, StatementType.STATEMENT_RETRACTED };
        for (int i = 0; i < n; i++) {
            if (!statements.isEmpty() && random.nextInt(12) == 0) { // a duplicate delivery
                statements.add(statements.get(random.nextInt(statements.size())));
                continue;
            }
            StatementType type = types[random.nextInt(types.length)];
            boolean reversed = random.nextBoolean();
            // mostly forwards in time, a few late reports; minutes collide (ties), some nanoseconds too
            int minute = random.nextInt(8) == 0 ? random.nextInt(Math.max(1, i)) : i;
            Instant occurredAt = ORIGIN.plus(step.multipliedBy(minute)).plusNanos(random.nextInt(3) == 0 ? 0 : random.nextInt(3));
            UUID retracts = null;
            if (type == StatementType.STATEMENT_RETRACTED) {
                int pick = random.nextInt(n + 3);
                retracts = pick < n ? ids.get(pick) : UUID.randomUUID();
            }
            boolean meeting = type == StatementType.MEETING_SCHEDULED || type == StatementType.MEETING_HELD;
            List<String> texts = List.of(TEXTS.get(random.nextInt(TEXTS.size())));
            statements.add(new Statement(ids.get(i), type, reversed ? b : a, reversed ? a : b, occurredAt,
                    occurredAt.plusSeconds(random.nextInt(3)), null, null, null, null,
                    type == StatementType.CONDITIONS_REITERATED ? texts : null,
                    type == StatementType.INCENTIVE_OFFERED ? texts : null, retracts,
                    meeting ? occurredAt.plus(Duration.ofDays(7)) : null, meeting ? "Singapore" : null));
        }
        return statements;
    }
}
