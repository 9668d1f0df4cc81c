package org.parley.status.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipFold;
import org.parley.contract.Statement;
import org.parley.contract.StatementType;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The stored state reads back equal to what was written: the next fold starts from exactly it. */
@QuarkusTest
class StateJsonTest {
    @Inject
    ObjectMapper json;

    @Test
    void aProjectionRoundTripsThroughTheApplicationsObjectMapper() throws Exception {
        Instant t = Instant.parse("2025-10-24T03:00:00.123456789Z");
        UUID retracted = UUID.randomUUID();
        Relationship state = RelationshipFold.fold("PRK-USA", List.of(
                statement(StatementType.INVITATION_ISSUED, "USA", "PRK", t, List.of(), List.of("Relief"), null),
                statement(StatementType.CONDITIONS_REITERATED, "PRK", "USA", t.plusNanos(1), List.of("Recognition"),
                        List.of(), null),
                statement(StatementType.STATEMENT_RETRACTED, "USA", "PRK", t.plusSeconds(5), List.of(), List.of(),
                        retracted)));
        assertThat(state.retractedIds()).containsExactly(retracted);

        String written = json.writeValueAsString(state);
        assertThat(written).contains("\"2025-10-24T03:00:00.123456790Z\"");
        assertThat(json.readValue(written, Relationship.class)).isEqualTo(state);
    }

    private static Statement statement(StatementType type, String source, String target, Instant at,
            List<String> conditions, List<String> incentives, UUID retracts) {
        return new Statement(UUID.randomUUID(), type, source, target, at, at.plusNanos(7), "speaker", "summary", null,
                null, conditions, incentives, retracts, null, null);
    }
}
