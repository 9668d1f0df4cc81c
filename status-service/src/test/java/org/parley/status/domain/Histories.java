package org.parley.status.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import org.parley.contract.RelationshipId;
import org.parley.contract.Statement;
import org.parley.contract.StatementType;

/**
 * Generated statement histories of one relationship: all types, a 20-minute window so occurredAt and
 * recordedAt collide, positions from a small pool of rewordings, retractions naming generated ids (including
 * other retractions and ids never sent), and duplicated deliveries.
 */
final class Histories {
    static final Instant ORIGIN = Statements.ORIGIN;
    static final int WINDOW_MINUTES = 20;

    private static final List<List<String>> PAIRS = List.of(
            List.of("USA", "PRK"), List.of("KOR", "PRK"), List.of("CHN", "USA"), List.of("CHN", "KOR"));
    private static final List<String> POSITIONS = List.of(
            "Sanctions relief", "  sanctions   RELIEF ", "sanctions relief\t",
            "Security guarantees", "security\nguarantees",
            "Recognition as a nuclear power", "RECOGNITION AS A NUCLEAR POWER",
            "Denuclearisation first", "Economic aid", " economic  aid");

    /** statements: in generation order, duplicates included. */
    record History(String relationshipId, List<Statement> statements) {
    }

    private record Spec(StatementType type, boolean reversed, int minute, int recordedDelay,
            List<String> conditions, List<String> incentives, Meeting meeting, int pick) {
    }

    private Histories() {
    }

    /** Duplicates are identical copies, as storage and the topic deliver them. */
    static Arbitrary<History> histories() {
        return histories(false);
    }

    /**
     * Histories spread over 2018–2025, as a relationship's real record is: the 20-minute grid stretched to about
     * five months a step (ties kept), and reports recorded up to two years after they occurred (late reports
     * that land before statements which occurred later), meetings moved alike.
     */
    static Arbitrary<History> over2018To2025() {
        return histories(false).map(h -> new History(h.relationshipId(),
                h.statements().stream().map(Histories::stretched).toList()));
    }

    static final Instant YEARS_ORIGIN = Instant.parse("2018-01-01T00:00:00Z");
    private static final java.time.Duration STEP = java.time.Duration.ofDays(146);
    private static final java.time.Duration LATE = java.time.Duration.ofDays(365);

    private static Statement stretched(Statement s) {
        Instant occurred = stretch(s.occurredAt());
        long lateMinutes = java.time.Duration.between(s.occurredAt(), s.recordedAt()).toMinutes();
        Instant recorded = occurred.plus(LATE.multipliedBy(lateMinutes)).plusSeconds(1);
        return new Statement(s.eventId(), s.type(), s.source(), s.target(), occurred, recorded, s.speaker(),
                s.summary(), s.quote(), s.sourceUrl(), s.conditions(), s.incentives(), s.retracts(),
                s.meetingAt() == null ? null : stretch(s.meetingAt()), s.location());
    }

    private static Instant stretch(Instant t) {
        return YEARS_ORIGIN.plus(STEP.multipliedBy(java.time.Duration.between(ORIGIN, t).toMinutes()));
    }

    /** Also conflicting duplicates (same eventId, other recordedAt or content): only order independence cares. */
    static Arbitrary<History> withConflictingCopies() {
        return histories(true);
    }

    private static Arbitrary<History> histories(boolean conflicting) {
        return Combinators.combine(
                Arbitraries.of(PAIRS),
                spec().list().ofMaxSize(30).withSizeDistribution(RandomDistribution.uniform()),
                Arbitraries.integers(),
                Arbitraries.integers().between(0, 1000).list().ofMaxSize(8))
                .as((pair, specs, seed, copies) -> build(pair, specs, seed, copies, conflicting));
    }

    private static Arbitrary<Spec> spec() {
        Arbitrary<StatementType> type = Arbitraries.frequency(
                Tuple.of(4, StatementType.INVITATION_ISSUED),
                Tuple.of(2, StatementType.NO_RESPONSE),
                Tuple.of(3, StatementType.CONDITIONS_REITERATED),
                Tuple.of(3, StatementType.INCENTIVE_OFFERED),
                Tuple.of(2, StatementType.INVITATION_ACCEPTED),
                Tuple.of(2, StatementType.INVITATION_DECLINED),
                Tuple.of(2, StatementType.INVITATION_WITHDRAWN),
                Tuple.of(1, StatementType.MEETING_SCHEDULED),
                Tuple.of(1, StatementType.MEETING_HELD),
                Tuple.of(3, StatementType.STATEMENT_RETRACTED));
        Arbitrary<List<String>> texts = Arbitraries.of(POSITIONS).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<Meeting> meeting = Combinators.combine(
                Arbitraries.integers().between(0, 600).map(m -> ORIGIN.plusSeconds(60L * m)).injectNull(0.3),
                Arbitraries.of("Panmunjom", "Singapore", "Hanoi").injectNull(0.3))
                .as(Meeting::new);
        return Combinators.combine(
                type,
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, WINDOW_MINUTES),
                Arbitraries.integers().between(0, 2),
                texts,
                texts.injectNull(0.3),
                meeting,
                Arbitraries.integers().between(0, 1000))
                .as(Spec::new)
                .withoutEdgeCases(); // else most elements are the first type at minute 0

    }

    private static History build(List<String> pair, List<Spec> specs, int seed, List<Integer> copies,
            boolean conflicting) {
        int n = specs.size();
        List<Statement> statements = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            statements.add(statement(pair, specs.get(i), id(seed, "event/" + i), named(seed, specs.get(i).pick(), n)));
        }
        for (int copy : n == 0 ? List.<Integer>of() : copies) {
            Statement original = statements.get(copy % n);
            statements.add(!conflicting || copy % 3 == 0 ? original
                    : copy % 3 == 1 ? recordedLater(original) : contradicting(original));
        }
        return new History(RelationshipId.of(pair.get(0), pair.get(1)), List.copyOf(statements));
    }

    /** What a retraction names: a generated statement (possibly a retraction, possibly itself) or an unknown id. */
    private static UUID named(int seed, int pick, int n) {
        int index = pick % (n + 2);
        return index < n ? id(seed, "event/" + index) : id(seed, "unknown/" + pick);
    }

    private static Statement statement(List<String> pair, Spec spec, UUID eventId, UUID retracted) {
        StatementType type = spec.type();
        String source = pair.get(spec.reversed() ? 1 : 0);
        String target = pair.get(spec.reversed() ? 0 : 1);
        Instant occurredAt = ORIGIN.plusSeconds(60L * spec.minute());
        boolean meeting = type == StatementType.MEETING_SCHEDULED || type == StatementType.MEETING_HELD;
        List<String> incentives = switch (type) {
            case INCENTIVE_OFFERED -> spec.conditions();
            case INVITATION_ISSUED -> spec.incentives();
            default -> null;
        };
        return new Statement(eventId, type, source, target, occurredAt,
                occurredAt.plusSeconds(60L * spec.recordedDelay()), null, type + " by " + source, null, null,
                type == StatementType.CONDITIONS_REITERATED ? spec.conditions() : null, incentives,
                type == StatementType.STATEMENT_RETRACTED ? retracted : null,
                meeting ? spec.meeting().at() : null, meeting ? spec.meeting().location() : null);
    }

    private static Statement recordedLater(Statement s) {
        return new Statement(s.eventId(), s.type(), s.source(), s.target(), s.occurredAt(),
                s.recordedAt().plusSeconds(90), s.speaker(), s.summary(), s.quote(), s.sourceUrl(), s.conditions(),
                s.incentives(), s.retracts(), s.meetingAt(), s.location());
    }

    /** Same key (occurredAt, recordedAt, eventId), other content: only a total tie-break keeps fold order-free. */
    private static Statement contradicting(Statement s) {
        StatementType other = s.type() == StatementType.INVITATION_DECLINED
                ? StatementType.INVITATION_ACCEPTED : StatementType.INVITATION_DECLINED;
        return new Statement(s.eventId(), other, s.target(), s.source(), s.occurredAt(), s.recordedAt(), null,
                "contradicting copy", null, null, null, null, null, null, null);
    }

    /** Stable, distinct ids whose order is unrelated to generation order. */
    private static UUID id(int seed, String name) {
        return UUID.nameUUIDFromBytes((seed + "/" + name).getBytes(StandardCharsets.UTF_8));
    }
}
