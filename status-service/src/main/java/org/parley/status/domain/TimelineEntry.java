package org.parley.status.domain;

import org.parley.contract.Statement;

/**
 * A stored statement in fold order. effect: APPLIED (in the projection), RETRACTED (removed by a
 * correction), RETRACTION (the correction itself). postedBy: the principal that posted it (null when its
 * record named nobody, or where the fold does not need to know).
 */
public record TimelineEntry(Statement statement, Effect effect, String postedBy) {
    public TimelineEntry(Statement statement, Effect effect) {
        this(statement, effect, null);
    }

    public enum Effect {
        APPLIED,
        RETRACTED,
        RETRACTION
    }
}
