package org.parley.status.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.parley.contract.Statement;
import org.parley.contract.StatementType;
import org.parley.status.domain.Histories.History;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/** The fold's laws over generated histories: arrival order, duplicates, corrections, asOf and apply. */
class RelationshipFoldProperties {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Provide
    Arbitrary<History> histories() {
        return Histories.histories();
    }

    @Provide
    Arbitrary<History> withConflictingCopies() {
        return Histories.withConflictingCopies();
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.integers().between(-60, 60 * (Histories.WINDOW_MINUTES + 1))
                .withDistribution(RandomDistribution.uniform()) // the default leans towards the window's start
                .map(seconds -> Histories.ORIGIN.plusSeconds(seconds));
    }

    @Property(tries = 1000)
    void anyPermutationAndDuplicationGivesTheSameProjection(@ForAll("withConflictingCopies") History history,
            @ForAll @Size(max = 10) List<@IntRange(max = 1000) Integer> copies, @ForAll long shuffle) {
        List<Statement> arrival = redelivered(history.statements(), copies, shuffle);

        assertThat(fold(history.relationshipId(), arrival)).isEqualTo(fold(history));
        assertThat(RelationshipFold.timeline(arrival)).isEqualTo(RelationshipFold.timeline(history.statements()));
    }

    @Property(tries = 1000)
    void retractingAnEventEqualsNeverHavingSentIt(@ForAll("histories") History history,
            @ForAll @IntRange(max = 1000) int pick, @ForAll("instants") Instant correctedAt) {
        List<Statement> candidates = history.statements().stream()
                .filter(s -> s.type() != StatementType.STATEMENT_RETRACTED).distinct().toList();
        Assume.that(!candidates.isEmpty());
        Statement retracted = candidates.get(pick % candidates.size());
        Statement correction = retraction(retracted, correctedAt);
        List<Statement> neverSent = history.statements().stream()
                .filter(s -> !s.eventId().equals(retracted.eventId())).toList();

        Relationship corrected = fold(history.relationshipId(), plus(history.statements(), correction));

        assertThat(corrected).usingRecursiveComparison().ignoringFields("retractedIds")
                .isEqualTo(fold(history.relationshipId(), neverSent));
        assertThat(corrected).isEqualTo(fold(history.relationshipId(), plus(neverSent, correction)));
    }

    @Property(tries = 1000)
    void asOfEqualsFoldingWhatHadOccurredByThen(@ForAll("histories") History history,
            @ForAll("instants") Instant asOf) {
        List<Statement> occurred = history.statements().stream()
                .filter(s -> s.type() == StatementType.STATEMENT_RETRACTED || !s.occurredAt().isAfter(asOf))
                .toList();
        List<Statement> appliedByThen = RelationshipFold.timeline(history.statements()).stream()
                .filter(e -> e.effect() == TimelineEntry.Effect.APPLIED && !e.statement().occurredAt().isAfter(asOf))
                .map(TimelineEntry::statement).toList();

        Relationship then = RelationshipFold.foldAsOf(history.relationshipId(), history.statements(), asOf);

        assertThat(then).isEqualTo(fold(history.relationshipId(), occurred));
        assertThat(then.eventCount()).isEqualTo(appliedByThen.size());
        assertThat(then.lastEvent() == null ? null : then.lastEvent().eventId())
                .isEqualTo(appliedByThen.isEmpty() ? null : appliedByThen.get(appliedByThen.size() - 1).eventId());
        assertThat(RelationshipFold.foldAsOf(history.relationshipId(), history.statements(), Instant.MAX))
                .isEqualTo(fold(history));
    }

    @Property(tries = 1000)
    void applyingArrivalBatchesEqualsFoldingEverything(@ForAll("histories") History history,
            @ForAll long shuffle, @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 6) Integer> batches) {
        List<Statement> arrival = redelivered(history.statements(), List.of(), shuffle);
        Map<UUID, Statement> stored = new LinkedHashMap<>();
        Relationship current = RelationshipFold.initial(history.relationshipId());
        int next = 0;
        for (int batch = 0; next < arrival.size(); batch++) {
            int size = batches.get(batch % batches.size());
            List<Statement> fresh = new ArrayList<>();
            for (Statement s : arrival.subList(next, Math.min(arrival.size(), next + size))) {
                if (stored.putIfAbsent(s.eventId(), s) == null) {
                    fresh.add(s);
                }
            }
            next += size;
            boolean[] refolded = {false};
            current = RelationshipFold.apply(current, fresh, () -> {
                refolded[0] = true;
                return List.copyOf(stored.values());
            });
            Statistics.label("apply").collect(refolded[0] ? "refold" : "incremental");
            assertThat(current).isEqualTo(fold(history.relationshipId(), stored.values()));
        }
        assertThat(current).isEqualTo(fold(history));
        Statistics.label("apply").coverage(c -> c.check("incremental").percentage(p -> p > 10));
        Statistics.label("apply").coverage(c -> c.check("refold").percentage(p -> p > 5));
    }

    @Property(tries = 1000)
    void versionCountsStateChangesWhateverTheBatches(@ForAll("histories") History history, @ForAll long shuffle,
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 6) Integer> batches,
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 40) Integer> otherBatches) {
        List<Statement> arrival = redelivered(history.statements(), List.of(3, 7), shuffle);

        long version = versionAfter(history.relationshipId(), arrival, batches);

        assertThat(versionAfter(history.relationshipId(), arrival, otherBatches)).isEqualTo(version);
        assertThat(versionAfter(history.relationshipId(), arrival, List.of(Integer.MAX_VALUE))).isEqualTo(version);
        Statistics.label("batch").coverage(c -> c.check("no change").percentage(p -> p > 2));
    }

    /** Applies arrival in batches of the given sizes as the writer does; checks changes against apply. */
    private static long versionAfter(String relationshipId, List<Statement> arrival, List<Integer> batches) {
        Map<UUID, Statement> stored = new LinkedHashMap<>();
        Relationship current = RelationshipFold.initial(relationshipId);
        long version = 0;
        int next = 0;
        for (int batch = 0; next < arrival.size(); batch++) {
            int size = (int) Math.min(batches.get(batch % batches.size()), arrival.size() - next);
            List<Statement> fresh = new ArrayList<>();
            for (Statement s : arrival.subList(next, next + size)) {
                if (stored.putIfAbsent(s.eventId(), s) == null) {
                    fresh.add(s);
                }
            }
            next += size;
            int changes = RelationshipFold.changes(current, fresh);
            Relationship after = RelationshipFold.apply(current, fresh, () -> List.copyOf(stored.values()));
            Statistics.label("batch").collect(changes > 0 ? "changes" : "no change");
            assertThat(changes > 0).as("changes %d for %s", changes, fresh).isEqualTo(!after.equals(current));
            assertThat(changes).isLessThanOrEqualTo(fresh.size());
            version += changes;
            current = after;
        }
        return version;
    }

    @Property(tries = 1000)
    void foldIsEvolveOverTheTimelineSkippingWhatIsRetracted(@ForAll("histories") History history) {
        Relationship state = RelationshipFold.initial(history.relationshipId());
        for (TimelineEntry entry : RelationshipFold.timeline(history.statements())) {
            if (entry.effect() != TimelineEntry.Effect.RETRACTED) {
                state = RelationshipFold.evolve(state, entry.statement());
            }
        }
        assertThat(state).isEqualTo(fold(history));
    }

    @Property(tries = 1000)
    void statusAndAwaitedPartyAgree(@ForAll("histories") History history, @ForAll("instants") Instant asOf) {
        Relationship r = RelationshipFold.foldAsOf(history.relationshipId(), history.statements(), asOf);
        Statistics.label("status").collect(r.status());

        assertThat(r.awaitingResponseFrom() != null).isEqualTo(r.status().isOpen());
        if (r.status().isOpen()) {
            assertThat(r.awaitingResponseFrom()).isEqualTo(r.status() == Status.CONDITIONS_SET
                    ? r.invitation().from() : r.invitation().to());
        }
        assertThat(r.status() == Status.NO_INVITATION).isEqualTo(r.invitation() == null && r.meeting() == null);
        r.conditions().values().forEach(RelationshipFoldProperties::distinctByNormalisedText);
        r.incentives().values().forEach(RelationshipFoldProperties::distinctByNormalisedText);
        Statistics.label("status").coverage(c -> {
            for (Status status : Status.values()) {
                c.check(status).count(n -> n > 0); // the generator reaches every status
            }
        });
    }

    @Property(tries = 500)
    void projectionRoundTripsThroughJson(@ForAll("histories") History history, @ForAll("instants") Instant asOf)
            throws Exception {
        Relationship r = RelationshipFold.foldAsOf(history.relationshipId(), history.statements(), asOf);
        String json = JSON.writeValueAsString(r);

        Relationship read = JSON.readValue(json, Relationship.class);

        assertThat(read).isEqualTo(r);
        assertThat(JSON.writeValueAsString(read)).isEqualTo(json);
    }

    private static void distinctByNormalisedText(List<Position> positions) {
        assertThat(positions).extracting(p -> Positions.normalise(p.text())).doesNotHaveDuplicates();
        assertThat(positions).allSatisfy(p -> {
            assertThat(p.timesStated()).isPositive();
            assertThat(p.firstStatedAt()).isBeforeOrEqualTo(p.lastStatedAt());
        });
    }

    private static Relationship fold(History history) {
        return fold(history.relationshipId(), history.statements());
    }

    private static Relationship fold(String relationshipId, java.util.Collection<Statement> statements) {
        return RelationshipFold.fold(relationshipId, statements);
    }

    private static List<Statement> redelivered(List<Statement> statements, List<Integer> copies, long shuffle) {
        List<Statement> arrival = new ArrayList<>(statements);
        if (!statements.isEmpty()) {
            copies.forEach(copy -> arrival.add(statements.get(copy % statements.size())));
        }
        Collections.shuffle(arrival, new Random(shuffle));
        return arrival;
    }

    private static List<Statement> plus(List<Statement> statements, Statement added) {
        List<Statement> all = new ArrayList<>(statements);
        all.add(added);
        return all;
    }

    private static Statement retraction(Statement retracted, Instant at) {
        return new Statement(UUID.nameUUIDFromBytes(("correction/" + retracted.eventId()).getBytes()),
                StatementType.STATEMENT_RETRACTED, retracted.target(), retracted.source(), at, at.plusSeconds(30),
                null, "Correction", null, null, null, null, retracted.eventId(), null, null);
    }
}
