package org.parley.status.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.statement;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.parley.contract.Statement;
import org.parley.status.Parley;
import org.parley.status.Projections;
import org.parley.status.TopicTest;
import org.parley.status.domain.RelationshipFold;
import org.parley.status.domain.TimelineEntry;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A refold reads each stored statement field by field out of the payload ({@link FoldFields}) instead of parsing
 * it whole: every field the fold uses must come back as StatementRules.stored reads it, whatever the text holds
 * (JSON escapes, quotes, backslashes, characters outside the BMP, offsets and nanoseconds in the instants), and
 * the stream (read ahead, in chunks smaller than this history) must give the timeline's order and effects.
 */
@QuarkusTest
class FoldFieldsTest extends TopicTest {

    @Inject
    DataSource dataSource;

    @Test
    void aRefoldReadsEveryFieldTheFoldUsesAsTheWholePayloadGivesIt() throws Exception {
        String a = country(), b = country();
        String id = Parley.relationshipId(a, b);
        Instant t = Instant.parse("2025-02-03T04:05:06.123456789Z");
        List<ObjectNode> history = new ArrayList<>();
        ObjectNode invitation = Parley.list(statement("INVITATION_ISSUED", a, b, t), "incentives",
                "Relief \"now\"", "Back\\slash and tab\t", "🕊 peace");
        invitation.put("summary", "Quote \" backslash \\ newline\n line separator \u2028 é 🕊");
        invitation.put("speaker", "Not read by the fold");
        invitation.put("quote", "Nor this");
        history.add(invitation);
        ObjectNode conditions = Parley.list(statement("CONDITIONS_REITERATED", b, a, t.plusNanos(1)), "conditions",
                "  Spaced   out  ", "Ünïcödé");
        conditions.put("occurredAt", "2025-02-03T09:35:06.123456790+05:30"); // t + 1 ns, with an offset
        history.add(conditions);
        ObjectNode meeting = statement("MEETING_SCHEDULED", a, b, t.plusSeconds(60));
        meeting.put("meetingAt", "2025-03-01T10:00:00.5+01:00");
        meeting.put("location", "Panmunjom \\ \"DMZ\"");
        history.add(meeting);
        for (int i = 0; i < 2_500; i++) { // more than one chunk of the stream
            history.add(statement("NO_RESPONSE", b, a, t.plusSeconds(120 + i)));
        }
        ObjectNode retraction = statement("STATEMENT_RETRACTED", a, b, t.plusSeconds(10_000));
        retraction.put("retracts", conditions.get("eventId").asText());
        history.add(retraction);
        Parley.publish(kafka, history);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Projections.storedStatements(dataSource, id).size() == history.size());

        List<TimelineEntry> expected = RelationshipFold.timeline(Projections.storedStatements(dataSource, id)).stream()
                .map(entry -> new TimelineEntry(foldFields(entry.statement()), entry.effect())).toList();
        Set<UUID> retracted = Set.of(UUID.fromString(conditions.get("eventId").asText()));
        List<TimelineEntry> streamed = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                FoldOrderStream.forFold(c, Generation.LIVE, id, null, retracted, streamed::add, () -> {
                }).run();
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        assertThat(streamed).hasSize(history.size()).isEqualTo(expected);
        assertThat(streamed.get(0).statement().summary()).isEqualTo(invitation.get("summary").asText());
        assertThat(streamed.stream().map(TimelineEntry::statement).toList())
                .isSortedAccordingTo(Statement.FOLD_ORDER);
    }

    /** What the fold reads of a statement: all of it but speaker, quote, sourceUrl and cameoCode. */
    private static Statement foldFields(Statement s) {
        return new Statement(s.eventId(), s.type(), s.source(), s.target(), s.occurredAt(), s.recordedAt(), null,
                s.summary(), null, null, s.conditions(), s.incentives(), s.retracts(), s.meetingAt(), s.location(), null);
    }
}
