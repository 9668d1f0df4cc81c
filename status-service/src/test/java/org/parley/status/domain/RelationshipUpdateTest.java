package org.parley.status.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.parley.contract.Statement;
import org.parley.contract.StatementType;
import org.parley.status.domain.RelationshipUpdate.Plan;
import org.parley.status.domain.RelationshipUpdate.Versioned;

/** The pure update step: what it plans, and that applying it equals the whole-history fold and its count of changes. */
class RelationshipUpdateTest {
    static final String ID = "PRK-USA";

    @Test
    void statementsInFoldOrderEvolveWithoutHistoryAndMoveTheVersionByTheirChanges() {
        Statement invite = Statements.by("USA", StatementType.INVITATION_ISSUED, "PRK").at(1).build();
        Statement silence = Statements.by("USA", StatementType.NO_RESPONSE, "PRK").at(2).build();
        Versioned stored = new Versioned(RelationshipFold.fold(ID, List.of(invite)), 1);

        Plan plan = RelationshipUpdate.plan(Map.of(ID, stored), Map.of(ID, List.of(silence)));
        assertThat(plan.moves()).containsEntry(ID, 1);
        assertThat(plan.needHistory()).isEmpty();
        Versioned next = RelationshipUpdate.apply(plan, ID, stored, List.of(silence), null);
        assertThat(next.state()).isEqualTo(RelationshipFold.fold(ID, List.of(invite, silence)));
        assertThat(next.version()).isEqualTo(2);
    }

    @Test
    void aLateStatementOrARetractionNeedsTheHistoryAndEqualsTheWholeFold() {
        Statement invite = Statements.by("USA", StatementType.INVITATION_ISSUED, "PRK").at(5).build();
        Statement late = Statements.by("PRK", StatementType.NO_RESPONSE, "USA").at(1).build();
        Statement retraction = Statements.by("USA", StatementType.STATEMENT_RETRACTED, "PRK").at(6).retracts(invite).build();
        Versioned stored = new Versioned(RelationshipFold.fold(ID, List.of(invite)), 1);
        List<Statement> fresh = List.of(late, retraction);

        Plan plan = RelationshipUpdate.plan(Map.of(ID, stored), Map.of(ID, fresh));
        assertThat(plan.needHistory()).containsExactly(ID);
        assertThatThrownBy(() -> RelationshipUpdate.apply(plan, ID, stored, fresh, null))
                .isInstanceOf(IllegalStateException.class);
        List<Statement> history = new ArrayList<>(List.of(invite));
        history.addAll(fresh);
        Versioned next = RelationshipUpdate.apply(plan, ID, stored, fresh, history);
        assertThat(next.state()).isEqualTo(RelationshipFold.fold(ID, history));
        assertThat(next.version()).isEqualTo(RelationshipFold.changes(RelationshipFold.initial(ID), history));
    }

    @Test
    void aStatementAlreadyRetractedChangesNothingAndIsNotPlanned() {
        Statement invite = Statements.by("USA", StatementType.INVITATION_ISSUED, "PRK").at(1).build();
        Statement retraction = Statements.by("USA", StatementType.STATEMENT_RETRACTED, "PRK").at(2).retracts(invite).build();
        Versioned stored = new Versioned(RelationshipFold.fold(ID, List.of(retraction)), 1);

        Plan plan = RelationshipUpdate.plan(Map.of(ID, stored), Map.of(ID, List.of(invite)));
        assertThat(plan.changes(ID)).isFalse();
        assertThat(plan.needHistory()).isEmpty();
    }
}
