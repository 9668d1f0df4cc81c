package org.parley.status.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.parley.contract.Statement;
import org.parley.contract.StatementRules;
import org.parley.status.domain.Histories.History;
import org.parley.status.domain.Provenance.Cause;
import org.parley.status.domain.Provenance.Explanation;
import org.parley.status.domain.Provenance.Why;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Provenance comes from the fold itself: its state is the fold's, and folding only the statements a field cites
 * gives that field's value again, for every field, over generated histories (corrections, late reports and
 * duplicates included; also spread over 2018–2025 with reports recorded years late), for the seed story and for
 * a USA–PRK history from 2018 to 2025.
 */
class ProvenanceProperties {

    @Provide
    Arbitrary<History> histories() {
        return Histories.histories();
    }

    @Property(tries = 1000)
    void refoldingOnlyTheCitedStatementsGivesEachFieldAgain(@ForAll("histories") History history) {
        check(history.relationshipId(), history.statements());
    }

    @Provide
    Arbitrary<History> yearsOfHistory() {
        return Histories.over2018To2025();
    }

    @Property(tries = 500)
    void overYearsWithLateReportsRefoldingTheCitedStatementsGivesEachFieldAgain(
            @ForAll("yearsOfHistory") History history) {
        check(history.relationshipId(), history.statements());
    }

    @Example
    void usaPrkFrom2018To2025WithALateReportAndARetraction() throws Exception {
        List<Statement> history = new ArrayList<>(List.of(
                story(1, "INVITATION_ISSUED", "PRK", "USA", "2018-03-08T12:00:00Z", null, null, null),
                story(2, "INVITATION_ACCEPTED", "USA", "PRK", "2018-03-08T23:00:00Z", null, null, null),
                story(3, "INVITATION_WITHDRAWN", "USA", "PRK", "2018-05-24T14:00:00Z", null, null, null),
                story(4, "MEETING_SCHEDULED", "USA", "PRK", "2018-06-01T18:00:00Z", null, null, null),
                story(5, "MEETING_HELD", "USA", "PRK", "2018-06-12T01:00:00Z", null, null, null),
                story(6, "MEETING_HELD", "USA", "PRK", "2019-02-28T04:00:00Z", null, null, null),
                story(7, "MEETING_HELD", "USA", "PRK", "2019-06-30T07:00:00Z", null, null, null),
                story(8, "CONDITIONS_REITERATED", "PRK", "USA", "2019-10-05T16:00:00Z",
                        List.of("The United States ends its hostile policy"), null, null),
                // a report that its source put online only in 2025: recorded five years after it occurred
                late(story(9, "CONDITIONS_REITERATED", "PRK", "USA", "2019-12-03T09:00:00Z",
                        List.of("The United States ends its hostile policy", "A new calculation by the year's end"),
                        null, null), "2025-01-10T00:00:00Z"),
                // a false report, corrected three days later
                story(10, "INVITATION_ACCEPTED", "PRK", "USA", "2020-04-25T00:00:00Z", null, null, null),
                story(11, "STATEMENT_RETRACTED", "PRK", "USA", "2020-04-28T00:00:00Z", null, null, id(10)),
                story(12, "INVITATION_ISSUED", "USA", "PRK", "2021-04-30T12:00:00Z", null, null, null),
                story(13, "INVITATION_DECLINED", "PRK", "USA", "2021-06-22T12:00:00Z", null, null, null)));
        history.addAll(seed());
        Explanation why = check("PRK-USA", history);
        assertThat(why.state().status()).isEqualTo(Status.NO_RESPONSE);
        assertThat(why.retracted()).extracting(r -> r.statement().eventId()).containsExactly(id(10));
        assertThat(why.retracted()).extracting(r -> r.by().eventId()).containsExactly(id(11));
        // the demand of 2019, restated in the late report (which counts where it occurred, not where it arrived)
        assertThat(ids(why.conditions().get("PRK").get("the united states ends its hostile policy")))
                .containsExactly(id(8), id(9));
        assertThat(ids(why.conditions().get("PRK").get("a new calculation by the year's end"))).containsExactly(id(9));
        // the state of 2025 rests on 2025's statements, as in the seed story alone
        List<Statement> seed = seed();
        assertThat(ids(why.fields().get("awaiting"))).containsExactly(seed.get(3).eventId(), seed.get(4).eventId());
        assertThat(ids(why.fields().get("lastEvent"))).containsExactly(seed.get(5).eventId());
    }

    private static UUID id(int n) {
        return UUID.nameUUIDFromBytes(("usa-prk-2018/" + n).getBytes());
    }

    private static Statement story(int n, String type, String source, String target, String occurredAt,
            List<String> conditions, List<String> incentives, UUID retracts) {
        Instant at = Instant.parse(occurredAt);
        boolean meeting = type.startsWith("MEETING_");
        return new Statement(id(n), org.parley.contract.StatementType.valueOf(type), source, target, at,
                at.plusSeconds(3600), null, type + " by " + source, null, null, conditions, incentives, retracts,
                meeting ? at : null, null);
    }

    private static Statement late(Statement s, String recordedAt) {
        return s.withRecordedAt(Instant.parse(recordedAt));
    }

    @Example
    void theSeedStory() throws Exception {
        List<Statement> seed = seed();
        Explanation why = check("PRK-USA", seed);
        UUID firstInvitation = seed.get(2).eventId(), invitation = seed.get(3).eventId();
        UUID firstSilence = seed.get(4).eventId(), secondSilence = seed.get(5).eventId();
        assertThat(why.state().status()).isEqualTo(Status.NO_RESPONSE);
        // the first NO_RESPONSE made it NO_RESPONSE; the second changed nothing; the open invitation it rests on
        assertThat(ids(why.fields().get("status"))).containsExactly(invitation, firstSilence);
        assertThat(why.fields().get("status").rule()).startsWith("NO_RESPONSE from the invitee of an open invitation");
        assertThat(ids(why.fields().get("invitation"))).containsExactly(invitation);
        assertThat(ids(why.fields().get("awaiting"))).containsExactly(invitation, firstSilence);
        assertThat(ids(why.fields().get("lastEvent"))).containsExactly(secondSilence);
        assertThat(why.fields().get("meeting").statements()).isEmpty();
        // both statements of Pyongyang restated recognition; each of the other conditions has its own
        assertThat(why.conditions().get("PRK")).hasSize(3);
        assertThat(ids(why.conditions().get("PRK").get("recognition of north korea as a nuclear weapons state")))
                .containsExactly(seed.get(0).eventId(), seed.get(1).eventId());
        assertThat(ids(why.incentives().get("USA").get("sanctions relief"))).containsExactly(invitation);
        // the second invitation replaced the first
        assertThat(why.overridden()).extracting(o -> o.statement().eventId()).contains(firstInvitation);
        assertThat(why.overridden()).filteredOn(o -> o.field().equals("invitation"))
                .extracting(o -> o.statement().eventId(), Provenance.Overridden::by)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(firstInvitation, invitation));
    }

    @Example
    void aPositionRestatedManyTimesKeepsItsFirstAndNewestStatementsAndTheCount() {
        List<Statement> history = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            Instant at = Statements.ORIGIN.plusSeconds(60L * i);
            history.add(new Statement(UUID.nameUUIDFromBytes(("restated/" + i).getBytes()),
                    org.parley.contract.StatementType.CONDITIONS_REITERATED, "PRK", "USA", at, at, null, null, null, null,
                    List.of("Recognition"), null, null, null, null));
        }
        Provenance provenance = new Provenance("PRK-USA");
        RelationshipFold.timeline(history).forEach(provenance::accept);
        Why why = provenance.explain().conditions().get("PRK").get("recognition");
        assertThat(why.count()).isEqualTo(250);
        assertThat(why.complete()).isFalse();
        assertThat(why.statements()).hasSize(Provenance.KEPT);
        assertThat(why.statements().get(0).eventId()).isEqualTo(history.get(0).eventId());
        assertThat(why.statements().get(1).eventId()).isEqualTo(history.get(250 - (Provenance.KEPT - 1)).eventId());
        assertThat(why.statements().get(Provenance.KEPT - 1).eventId()).isEqualTo(history.get(249).eventId());
        assertThat(provenance.state().conditions().get("PRK").get(0).timesStated()).isEqualTo(250);
    }

    /** Checks the laws for one history; returns its explanation. */
    static Explanation check(String id, List<Statement> statements) {
        List<TimelineEntry> timeline = RelationshipFold.timeline(statements);
        Provenance provenance = new Provenance(id);
        timeline.forEach(provenance::accept);
        Relationship fold = RelationshipFold.fold(id, statements);
        // the same fold: only retractedIds are the plain fold's own bookkeeping
        assertThat(provenance.state()).isEqualTo(withoutRetracted(fold));
        Explanation why = provenance.explain();

        Map<UUID, TimelineEntry> byId = timeline.stream()
                .collect(Collectors.toMap(e -> e.statement().eventId(), Function.identity()));
        List<Why> all = new ArrayList<>(why.fields().values());
        why.conditions().values().forEach(byKey -> all.addAll(byKey.values()));
        why.incentives().values().forEach(byKey -> all.addAll(byKey.values()));
        for (Why field : all) {
            for (Cause cause : field.statements()) {
                assertThat(byId.get(cause.eventId()).effect()).as("cited %s", cause).isEqualTo(TimelineEntry.Effect.APPLIED);
            }
        }
        same(id, byId, why.fields().get("status"), fold, Relationship::status);
        same(id, byId, why.fields().get("invitation"), fold, Relationship::invitation);
        same(id, byId, why.fields().get("awaiting"), fold,
                r -> Arrays.asList(r.awaitingResponseFrom(), r.silentSince()));
        same(id, byId, why.fields().get("meeting"), fold, Relationship::meeting);
        same(id, byId, why.fields().get("lastEvent"), fold, Relationship::lastEvent);
        positions(id, byId, why.conditions(), fold.conditions(), Relationship::conditions);
        positions(id, byId, why.incentives(), fold.incentives(), Relationship::incentives);

        assertThat(why.retractedCount()).isEqualTo(
                timeline.stream().filter(e -> e.effect() == TimelineEntry.Effect.RETRACTED).count());
        for (Provenance.Retracted retracted : why.retracted()) {
            assertThat(retracted.by().type()).isEqualTo(org.parley.contract.StatementType.STATEMENT_RETRACTED);
            assertThat(byId.get(retracted.by().eventId()).statement().retracts()).isEqualTo(retracted.statement().eventId());
        }
        return why;
    }

    private static <T> void same(String id, Map<UUID, TimelineEntry> byId, Why why, Relationship fold,
            Function<Relationship, T> field) {
        Relationship cited = RelationshipFold.fold(id, statements(byId, why));
        assertThat(field.apply(cited)).as("folding %s", why).isEqualTo(field.apply(fold));
    }

    private static void positions(String id, Map<UUID, TimelineEntry> byId, Map<String, Map<String, Why>> why,
            Map<String, List<Position>> standing, Function<Relationship, Map<String, List<Position>>> field) {
        Set<String> parties = standing.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(why.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
                .collect(Collectors.toSet())).isEqualTo(parties);
        standing.forEach((party, positions) -> {
            assertThat(why.get(party)).hasSize(positions.size());
            for (Position position : positions) {
                Why cited = why.get(party).get(Positions.normalise(position.text()));
                assertThat(cited.complete()).as("%s", cited).isTrue();
                Relationship refold = RelationshipFold.fold(id, statements(byId, cited));
                Map<String, Position> again = new HashMap<>();
                field.apply(refold).getOrDefault(party, List.of())
                        .forEach(p -> again.put(Positions.normalise(p.text()), p));
                assertThat(again.get(Positions.normalise(position.text()))).as("folding %s", cited).isEqualTo(position);
            }
        });
    }

    private static List<Statement> statements(Map<UUID, TimelineEntry> byId, Why why) {
        return why.statements().stream().map(c -> byId.get(c.eventId()).statement()).toList();
    }

    private static Relationship withoutRetracted(Relationship r) {
        return new Relationship(r.id(), r.parties(), r.status(), r.invitation(), r.awaitingResponseFrom(),
                r.conditions(), r.incentives(), r.meeting(), r.lastEvent(), r.eventCount(), List.of());
    }

    private static List<UUID> ids(Why why) {
        return why.statements().stream().map(Cause::eventId).toList();
    }

    /** The seed story (seed/prk-usa-2025.json), recorded a second after it occurred. */
    static List<Statement> seed() throws Exception {
        List<Statement> statements = new ArrayList<>();
        for (JsonNode node : new ObjectMapper().readTree(Path.of("../seed/prk-usa-2025.json").toFile())) {
            Statement statement = StatementRules.request(node, Instant.parse("2026-01-01T00:00:00Z")).statement();
            statements.add(statement.withRecordedAt(statement.occurredAt().plusSeconds(1)));
        }
        return statements;
    }
}
