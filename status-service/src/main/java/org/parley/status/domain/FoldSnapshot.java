package org.parley.status.domain;

import java.util.List;

/**
 * The fold state of a relationship just after the statement at position: what a refold resumes from instead
 * of the first statement. The state carries no retractedIds (they belong to the whole history, not to a prefix
 * of it: a refold sets the current ones).
 */
public record FoldSnapshot(FoldKey position, Relationship state) {

    public FoldSnapshot {
        if (!state.retractedIds().isEmpty()) {
            state = withoutRetractedIds(state);
        }
    }

    static Relationship withoutRetractedIds(Relationship state) {
        return new Relationship(state.id(), state.parties(), state.status(), state.invitation(),
                state.awaitingResponseFrom(), state.conditions(), state.incentives(), state.meeting(),
                state.lastEvent(), state.eventCount(), List.of());
    }
}
