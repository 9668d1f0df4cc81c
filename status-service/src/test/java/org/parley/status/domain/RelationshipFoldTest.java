package org.parley.status.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.contract.StatementType.CONDITIONS_REITERATED;
import static org.parley.contract.StatementType.INCENTIVE_OFFERED;
import static org.parley.contract.StatementType.INVITATION_ACCEPTED;
import static org.parley.contract.StatementType.INVITATION_DECLINED;
import static org.parley.contract.StatementType.INVITATION_ISSUED;
import static org.parley.contract.StatementType.INVITATION_WITHDRAWN;
import static org.parley.contract.StatementType.MEETING_HELD;
import static org.parley.contract.StatementType.MEETING_SCHEDULED;
import static org.parley.contract.StatementType.NO_RESPONSE;
import static org.parley.contract.StatementType.STATEMENT_RETRACTED;
import static org.parley.status.domain.Statements.by;
import static org.parley.status.domain.Statements.minute;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.parley.contract.Statement;

/** One example per row of the rules table, plus corrections, asOf, apply and the timeline. */
class RelationshipFoldTest {
    static final String ID = "PRK-USA";
    static final String USA = "USA";
    static final String PRK = "PRK";

    static Relationship fold(Statement... statements) {
        return RelationshipFold.fold(ID, Arrays.asList(statements));
    }

    static Statement invitation(int minute) {
        return by(USA, INVITATION_ISSUED, PRK).at(minute).build();
    }

    @Test
    void noStatementMeansNoInvitation() {
        Relationship initial = RelationshipFold.initial(ID);

        assertThat(initial.status()).isEqualTo(Status.NO_INVITATION);
        assertThat(initial.parties()).containsExactly(PRK, USA);
        assertThat(initial.conditions()).containsOnlyKeys(PRK, USA).allSatisfy((party, p) -> assertThat(p).isEmpty());
        assertThat(initial.incentives()).containsOnlyKeys(PRK, USA);
        assertThat(initial.invitation()).isNull();
        assertThat(initial.lastEvent()).isNull();
        assertThat(initial.eventCount()).isZero();
        assertThat(initial.retractedIds()).isEmpty();
        assertThat(fold()).isEqualTo(initial);
    }

    @Nested
    class InvitationIssued {
        @Test
        void opensAnInvitationAwaitingTheTarget() {
            Statement issued = by(USA, INVITATION_ISSUED, PRK).at(10).summary("I would love to meet him.")
                    .incentives("Sanctions relief", " sanctions  RELIEF", "Security guarantees").build();

            Relationship r = fold(issued);

            assertThat(r.status()).isEqualTo(Status.INVITATION_OPEN);
            assertThat(r.invitation()).isEqualTo(new Invitation(USA, PRK, minute(10), issued.eventId(),
                    List.of("Sanctions relief", "Security guarantees")));
            assertThat(r.awaitingResponseFrom()).isEqualTo(PRK);
            assertThat(r.silentSince()).isEqualTo(minute(10));
            assertThat(r.incentives().get(USA)).containsExactly(
                    new Position("Sanctions relief", minute(10), minute(10), 1),
                    new Position("Security guarantees", minute(10), minute(10), 1));
            assertThat(r.lastEvent()).isEqualTo(new LastEvent(issued.eventId(), INVITATION_ISSUED, USA, PRK,
                    minute(10), minute(11), "I would love to meet him."));
            assertThat(r.lastEventAt()).isEqualTo(minute(10));
            assertThat(r.eventCount()).isEqualTo(1);
        }

        @Test
        void aNewerInvitationReplacesAnOlderOne() {
            Statement older = invitation(1);
            Statement newer = by(PRK, INVITATION_ISSUED, USA).at(5).build();

            Relationship r = fold(newer, older);

            assertThat(r.invitation().eventId()).isEqualTo(newer.eventId());
            assertThat(r.invitation().from()).isEqualTo(PRK);
            assertThat(r.awaitingResponseFrom()).isEqualTo(USA);
        }

        @Test
        void reopensAfterAnAnswer() {
            Relationship r = fold(invitation(1), by(PRK, INVITATION_DECLINED, USA).at(2).build(), invitation(3));

            assertThat(r.status()).isEqualTo(Status.INVITATION_OPEN);
            assertThat(r.invitation().issuedAt()).isEqualTo(minute(3));
        }
    }

    @Nested
    class NoResponse {
        @Test
        void fromTheInviteeMarksTheInvitationUnanswered() {
            Relationship r = fold(invitation(1), by(PRK, NO_RESPONSE, USA).at(2).build());

            assertThat(r.status()).isEqualTo(Status.NO_RESPONSE);
            assertThat(r.awaitingResponseFrom()).isEqualTo(PRK);
            assertThat(r.silentSince()).isEqualTo(minute(1));
            assertThat(r.invitation().issuedAt()).isEqualTo(minute(1));
        }

        @Test
        void fromTheInviterIsTimelineOnlyButStillAStatementInEffect() {
            Statement notAddressed = by(USA, NO_RESPONSE, PRK).at(2).build();

            Relationship r = fold(invitation(1), notAddressed);

            assertThat(r.status()).isEqualTo(Status.INVITATION_OPEN);
            assertThat(r.lastEvent().eventId()).isEqualTo(notAddressed.eventId());
            assertThat(r.eventCount()).isEqualTo(2);
        }

        @Test
        void withoutAnInvitationChangesNoStatus() {
            assertThat(fold(by(PRK, NO_RESPONSE, USA).build()).status()).isEqualTo(Status.NO_INVITATION);
        }

        @Test
        void afterAnAnswerChangesNoStatus() {
            Relationship r = fold(invitation(1), by(PRK, INVITATION_ACCEPTED, USA).at(2).build(),
                    by(PRK, NO_RESPONSE, USA).at(3).build());

            assertThat(r.status()).isEqualTo(Status.ACCEPTED);
        }
    }

    @Nested
    class ConditionsReiterated {
        @Test
        void fromTheInviteeSetsConditionsAndAwaitsTheInviter() {
            Relationship r = fold(invitation(1), by(PRK, CONDITIONS_REITERATED, USA).at(2)
                    .conditions("Drop denuclearisation", "Recognition as a nuclear power").build());

            assertThat(r.status()).isEqualTo(Status.CONDITIONS_SET);
            assertThat(r.awaitingResponseFrom()).isEqualTo(USA);
            assertThat(r.silentSince()).isNull();
            assertThat(r.conditions().get(PRK)).extracting(Position::text)
                    .containsExactly("Drop denuclearisation", "Recognition as a nuclear power");
        }

        @Test
        void withoutAnOpenInvitationToTheSourceOnlyRecordsTheConditions() {
            Relationship none = fold(by(PRK, CONDITIONS_REITERATED, USA).conditions("Talks first").build());
            Relationship fromInviter = fold(invitation(1),
                    by(USA, CONDITIONS_REITERATED, PRK).at(2).conditions("Denuclearisation").build());

            assertThat(none.status()).isEqualTo(Status.NO_INVITATION);
            assertThat(none.conditions().get(PRK)).extracting(Position::text).containsExactly("Talks first");
            assertThat(fromInviter.status()).isEqualTo(Status.INVITATION_OPEN);
            assertThat(fromInviter.awaitingResponseFrom()).isEqualTo(PRK);
            assertThat(fromInviter.conditions().get(USA)).hasSize(1);
        }

        @Test
        void restatingRefreshesByNormalisedTextKeepingTheFirstWording() {
            Relationship r = fold(
                    by(PRK, CONDITIONS_REITERATED, USA).at(1).conditions("Sanctions  relief", "Recognition").build(),
                    by(PRK, CONDITIONS_REITERATED, USA).at(7).conditions("  SANCTIONS relief\t", "sanctions relief")
                            .build(),
                    by(PRK, CONDITIONS_REITERATED, USA).at(4).conditions("sanctions\nRelief").build());

            assertThat(r.conditions().get(PRK)).containsExactly(
                    new Position("Sanctions  relief", minute(1), minute(7), 3),
                    new Position("Recognition", minute(1), minute(1), 1));
            assertThat(r.conditions().get(USA)).isEmpty();
        }

        @Test
        void conditionsSurviveStatusChanges() {
            Relationship r = fold(invitation(1), by(PRK, CONDITIONS_REITERATED, USA).at(2).conditions("Aid").build(),
                    by(PRK, INVITATION_DECLINED, USA).at(3).build(), invitation(4));

            assertThat(r.status()).isEqualTo(Status.INVITATION_OPEN);
            assertThat(r.conditions().get(PRK)).extracting(Position::text).containsExactly("Aid");
        }
    }

    @Nested
    class IncentiveOffered {
        @Test
        void fromTheInviterJoinsTheOpenInvitationWithoutChangingStatus() {
            Statement issued = by(USA, INVITATION_ISSUED, PRK).at(1).incentives("Sanctions relief").build();

            Relationship r = fold(issued, by(PRK, CONDITIONS_REITERATED, USA).at(2).conditions("Aid").build(),
                    by(USA, INCENTIVE_OFFERED, PRK).at(3).incentives("SANCTIONS RELIEF", "Aid").build());

            assertThat(r.status()).isEqualTo(Status.CONDITIONS_SET);
            assertThat(r.invitation().incentives()).containsExactly("Sanctions relief", "Aid");
            assertThat(r.incentives().get(USA)).containsExactly(
                    new Position("Sanctions relief", minute(1), minute(3), 2),
                    new Position("Aid", minute(3), minute(3), 1));
        }

        @Test
        void fromTheInviteeIsOnlyAStandingPosition() {
            Relationship r = fold(invitation(1), by(PRK, INCENTIVE_OFFERED, USA).at(2).incentives("Remains").build());

            assertThat(r.invitation().incentives()).isEmpty();
            assertThat(r.incentives().get(PRK)).extracting(Position::text).containsExactly("Remains");
            assertThat(r.status()).isEqualTo(Status.INVITATION_OPEN);
        }

        @Test
        void afterTheInvitationClosedLeavesItAsItWas() {
            Relationship r = fold(invitation(1), by(PRK, INVITATION_DECLINED, USA).at(2).build(),
                    by(USA, INCENTIVE_OFFERED, PRK).at(3).incentives("Aid").build());

            assertThat(r.status()).isEqualTo(Status.DECLINED);
            assertThat(r.invitation().incentives()).isEmpty();
            assertThat(r.incentives().get(USA)).hasSize(1);
        }
    }

    @Nested
    class Answers {
        @Test
        void theInviteeAccepts() {
            Relationship r = fold(invitation(1), by(PRK, NO_RESPONSE, USA).at(2).build(),
                    by(PRK, INVITATION_ACCEPTED, USA).at(3).build());

            assertThat(r.status()).isEqualTo(Status.ACCEPTED);
            assertThat(r.awaitingResponseFrom()).isNull();
            assertThat(r.silentSince()).isNull();
        }

        @Test
        void theInviteeDeclinesAfterSettingConditions() {
            Relationship r = fold(invitation(1), by(PRK, CONDITIONS_REITERATED, USA).at(2).conditions("Aid").build(),
                    by(PRK, INVITATION_DECLINED, USA).at(3).build());

            assertThat(r.status()).isEqualTo(Status.DECLINED);
            assertThat(r.awaitingResponseFrom()).isNull();
        }

        @Test
        void theInviterCannotAnswerItsOwnInvitation() {
            Relationship r = fold(invitation(1), by(USA, INVITATION_ACCEPTED, PRK).at(2).build());

            assertThat(r.status()).isEqualTo(Status.INVITATION_OPEN);
            assertThat(r.awaitingResponseFrom()).isEqualTo(PRK);
        }

        @Test
        void aClosedOrMissingInvitationCannotBeAnswered() {
            assertThat(fold(by(PRK, INVITATION_ACCEPTED, USA).build()).status()).isEqualTo(Status.NO_INVITATION);
            assertThat(fold(invitation(1), by(PRK, INVITATION_DECLINED, USA).at(2).build(),
                    by(PRK, INVITATION_ACCEPTED, USA).at(3).build()).status()).isEqualTo(Status.DECLINED);
        }
    }

    @Nested
    class Withdrawn {
        @Test
        void eitherSideWithdrawsAnOpenInvitation() {
            assertThat(fold(invitation(1), by(USA, INVITATION_WITHDRAWN, PRK).at(2).build()).status())
                    .isEqualTo(Status.WITHDRAWN);
            Relationship byInvitee = fold(invitation(1), by(PRK, CONDITIONS_REITERATED, USA).at(2).conditions("A")
                    .build(), by(PRK, INVITATION_WITHDRAWN, USA).at(3).build());
            assertThat(byInvitee.status()).isEqualTo(Status.WITHDRAWN);
            assertThat(byInvitee.awaitingResponseFrom()).isNull();
        }

        @Test
        void anAcceptanceOrAScheduledMeetingCanBeWithdrawn() {
            assertThat(fold(invitation(1), by(PRK, INVITATION_ACCEPTED, USA).at(2).build(),
                    by(PRK, INVITATION_WITHDRAWN, USA).at(3).build()).status()).isEqualTo(Status.WITHDRAWN);
            assertThat(fold(by(USA, MEETING_SCHEDULED, PRK).at(1).build(),
                    by(USA, INVITATION_WITHDRAWN, PRK).at(2).build()).status()).isEqualTo(Status.WITHDRAWN);
        }

        @Test
        void nothingElseCanBeWithdrawn() {
            assertThat(fold(by(USA, INVITATION_WITHDRAWN, PRK).build()).status()).isEqualTo(Status.NO_INVITATION);
            assertThat(fold(invitation(1), by(PRK, INVITATION_DECLINED, USA).at(2).build(),
                    by(USA, INVITATION_WITHDRAWN, PRK).at(3).build()).status()).isEqualTo(Status.DECLINED);
            assertThat(fold(by(USA, MEETING_HELD, PRK).at(1).build(),
                    by(USA, INVITATION_WITHDRAWN, PRK).at(2).build()).status()).isEqualTo(Status.MEETING_HELD);
        }
    }

    @Nested
    class Meetings {
        @Test
        void scheduledKeepsTheInvitationAsHistory() {
            Statement issued = invitation(1);
            Relationship r = fold(issued, by(PRK, INVITATION_ACCEPTED, USA).at(2).build(),
                    by(USA, MEETING_SCHEDULED, PRK).at(3).meeting(minute(600), "Panmunjom").build());

            assertThat(r.status()).isEqualTo(Status.MEETING_SCHEDULED);
            assertThat(r.meeting()).isEqualTo(new Meeting(minute(600), "Panmunjom"));
            assertThat(r.awaitingResponseFrom()).isNull();
            assertThat(r.invitation().eventId()).isEqualTo(issued.eventId());
            assertThat(r.status().isOpen()).isFalse();
        }

        @Test
        void heldEvenWithoutAnyInvitationAndWithoutATime() {
            Relationship r = fold(invitation(1), by(PRK, MEETING_HELD, USA).at(2).meeting(null, "DMZ").build());

            assertThat(r.status()).isEqualTo(Status.MEETING_HELD);
            assertThat(r.meeting()).isEqualTo(new Meeting(null, "DMZ"));
            assertThat(r.awaitingResponseFrom()).isNull();
            assertThat(fold(by(USA, MEETING_HELD, PRK).build()).meeting()).isEqualTo(new Meeting(null, null));
        }
    }

    @Nested
    class Corrections {
        @Test
        void aRetractedStatementHasNoEffectWhateverTheRetractionsTime() {
            Statement issued = invitation(1);
            Statement withdrawn = by(USA, INVITATION_WITHDRAWN, PRK).at(5).build();
            Statement correction = by(USA, STATEMENT_RETRACTED, PRK).at(0).retracts(withdrawn).build();

            Relationship r = fold(issued, withdrawn, correction);

            assertThat(r.status()).isEqualTo(Status.INVITATION_OPEN);
            assertThat(r.eventCount()).isEqualTo(1);
            assertThat(r.lastEvent().eventId()).isEqualTo(issued.eventId());
            assertThat(r.retractedIds()).containsExactly(withdrawn.eventId());
        }

        @Test
        void aRetractionOfARetractionHasNoEffect() {
            Statement issued = invitation(1);
            Statement correction = by(USA, STATEMENT_RETRACTED, PRK).at(2).retracts(issued).build();
            Statement undo = by(USA, STATEMENT_RETRACTED, PRK).at(3).retracts(correction).build();

            Relationship r = fold(issued, correction, undo);

            assertThat(r.status()).isEqualTo(Status.NO_INVITATION);
            assertThat(r.eventCount()).isZero();
            assertThat(r.lastEvent()).isNull();
        }

        @Test
        void aRetractionOfAnUnknownIdHasNoEffectButStaysOnTheTimeline() {
            Statement issued = invitation(1);
            Statement stray = by(USA, STATEMENT_RETRACTED, PRK).at(2).retracts(UUID.randomUUID()).build();

            Relationship r = fold(issued, stray);

            assertThat(r).usingRecursiveComparison().ignoringFields("retractedIds").isEqualTo(fold(issued));
            assertThat(RelationshipFold.timeline(List.of(stray, issued))).containsExactly(
                    new TimelineEntry(issued, TimelineEntry.Effect.APPLIED),
                    new TimelineEntry(stray, TimelineEntry.Effect.RETRACTION));
        }

        @Test
        void evolveOnlyNotesARetraction() {
            Relationship open = fold(invitation(1));
            UUID named = UUID.randomUUID();

            Relationship r = RelationshipFold.evolve(open,
                    by(USA, STATEMENT_RETRACTED, PRK).at(2).retracts(named).build());

            assertThat(r).usingRecursiveComparison().ignoringFields("retractedIds").isEqualTo(open);
            assertThat(r.retractedIds()).containsExactly(named);
        }
    }

    @Test
    void duplicatesCountOnce() {
        Statement issued = invitation(1);
        Statement conditions = by(PRK, CONDITIONS_REITERATED, USA).at(2).conditions("Aid").build();

        Relationship r = fold(issued, conditions, issued, conditions, conditions);

        assertThat(r).isEqualTo(fold(issued, conditions));
        assertThat(r.eventCount()).isEqualTo(2);
        assertThat(r.conditions().get(PRK).get(0).timesStated()).isEqualTo(1);
    }

    @Test
    void statementsAtTheSameInstantAreOrderedByRecordedAtThenEventId() {
        UUID low = new UUID(0, 1);
        UUID high = new UUID(0, 2);
        Statement accepted = by(PRK, INVITATION_ACCEPTED, USA).at(1).recordedAt(minute(9)).id(low).build();
        Statement declined = by(PRK, INVITATION_DECLINED, USA).at(1).recordedAt(minute(9)).id(high).build();
        Statement issued = by(USA, INVITATION_ISSUED, PRK).at(1).recordedAt(minute(2)).build();

        // issued was recorded first; then the lower eventId answers first, and only an open invitation is answered
        assertThat(fold(declined, accepted, issued).status()).isEqualTo(Status.ACCEPTED);
    }

    @Test
    void timelineMarksEveryStoredStatementInFoldOrder() {
        Statement issued = invitation(3);
        Statement declined = by(PRK, INVITATION_DECLINED, USA).at(4).build();
        Statement correction = by(PRK, STATEMENT_RETRACTED, USA).at(1).retracts(declined).build();

        assertThat(RelationshipFold.timeline(List.of(declined, issued, correction, declined))).containsExactly(
                new TimelineEntry(correction, TimelineEntry.Effect.RETRACTION),
                new TimelineEntry(issued, TimelineEntry.Effect.APPLIED),
                new TimelineEntry(declined, TimelineEntry.Effect.RETRACTED));
    }

    @Nested
    class AsOf {
        final Statement issued = invitation(1);
        final Statement declined = by(PRK, INVITATION_DECLINED, USA).at(5).build();
        final Statement heldLater = by(USA, MEETING_HELD, PRK).at(9).build();
        final Statement correction = by(PRK, STATEMENT_RETRACTED, USA).at(20).retracts(declined).build();

        @Test
        void foldsWhatHadOccurredByThenIncludingThatInstant() {
            List<Statement> all = List.of(issued, declined, heldLater);

            assertThat(RelationshipFold.foldAsOf(ID, all, minute(0)).status()).isEqualTo(Status.NO_INVITATION);
            assertThat(RelationshipFold.foldAsOf(ID, all, minute(4)).status()).isEqualTo(Status.INVITATION_OPEN);
            assertThat(RelationshipFold.foldAsOf(ID, all, minute(5))).isEqualTo(fold(issued, declined));
            assertThat(RelationshipFold.foldAsOf(ID, all, Instant.MAX)).isEqualTo(fold(issued, declined, heldLater));
        }

        @Test
        void laterCorrectionsFixThePast() {
            Relationship r = RelationshipFold.foldAsOf(ID, List.of(issued, declined, heldLater, correction), minute(6));

            assertThat(r.status()).isEqualTo(Status.INVITATION_OPEN);
            assertThat(r.eventCount()).isEqualTo(1);
        }
    }

    @Nested
    class Apply {
        final List<Statement> stored = new ArrayList<>();
        final AtomicInteger refolds = new AtomicInteger();

        Relationship store(Relationship current, Statement... arrived) {
            stored.addAll(List.of(arrived));
            return RelationshipFold.apply(current, List.of(arrived), () -> {
                refolds.incrementAndGet();
                return List.copyOf(stored);
            });
        }

        @Test
        void appendsInOrderWithoutRefolding() {
            Relationship r = store(RelationshipFold.initial(ID), invitation(1));
            r = store(r, by(PRK, CONDITIONS_REITERATED, USA).at(2).conditions("Aid").build(),
                    by(PRK, INVITATION_ACCEPTED, USA).at(3).build());

            assertThat(refolds).hasValue(0);
            assertThat(r).isEqualTo(RelationshipFold.fold(ID, stored));
            assertThat(store(r)).isSameAs(r);
        }

        @Test
        void refoldsForALateReport() {
            Relationship r = store(RelationshipFold.initial(ID), invitation(1), by(PRK, INVITATION_ACCEPTED, USA).at(5)
                    .build());
            r = store(r, by(PRK, INVITATION_DECLINED, USA).at(3).build());

            assertThat(refolds).hasValue(1);
            assertThat(r.status()).isEqualTo(Status.DECLINED);
            assertThat(r).isEqualTo(RelationshipFold.fold(ID, stored));
        }

        @Test
        void refoldsForARetraction() {
            Statement accepted = by(PRK, INVITATION_ACCEPTED, USA).at(5).build();
            Relationship r = store(RelationshipFold.initial(ID), invitation(1), accepted);
            r = store(r, by(PRK, STATEMENT_RETRACTED, USA).at(6).retracts(accepted).build());

            assertThat(refolds).hasValue(1);
            assertThat(r.status()).isEqualTo(Status.INVITATION_OPEN);
        }

        @Test
        void refoldsForAStatementAlreadyRetracted() {
            Statement accepted = by(PRK, INVITATION_ACCEPTED, USA).at(5).build();
            Relationship r = store(RelationshipFold.initial(ID), invitation(1),
                    by(PRK, STATEMENT_RETRACTED, USA).at(2).retracts(accepted).build());
            r = store(r, accepted);

            assertThat(refolds).hasValue(2);
            assertThat(r.status()).isEqualTo(Status.INVITATION_OPEN);
            assertThat(r).isEqualTo(RelationshipFold.fold(ID, stored));
        }

        @Test
        void needsAState() {
            Collection<Statement> none = List.of();
            assertThatThrownBy(() -> RelationshipFold.apply(null, List.of(), () -> none))
                    .isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void theContractStoryFromInvitationToDeclineOfComment() {
        Statement issued = by(USA, INVITATION_ISSUED, PRK).at(0).build();
        Statement conditions = by(PRK, CONDITIONS_REITERATED, USA).at(-45_000)
                .conditions("The United States drops its obsession with denuclearisation",
                        "Recognition of North Korea as a nuclear power")
                .build();
        Statement offer = by(USA, INCENTIVE_OFFERED, PRK).at(4_500).incentives("Sanctions relief").build();
        Statement silence = by(PRK, NO_RESPONSE, USA).at(8_000).build();

        Relationship r = fold(silence, offer, conditions, issued);

        assertThat(r.status()).isEqualTo(Status.NO_RESPONSE);
        assertThat(r.awaitingResponseFrom()).isEqualTo(PRK);
        assertThat(r.invitation().incentives()).containsExactly("Sanctions relief");
        assertThat(r.conditions().get(PRK)).hasSize(2);
        assertThat(r.silentSince()).isEqualTo(minute(0));
        assertThat(r.eventCount()).isEqualTo(4);
    }
}
