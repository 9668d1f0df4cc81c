package org.parley.status.domain;

import org.parley.contract.Statement;

/**
 * A stored statement in fold order. effect: APPLIED (in the projection), RETRACTED (removed by a
 * correction), RETRACTION (the correction itself).
 */
public record TimelineEntry(Statement statement, Effect effect) {
    public enum Effect {
        APPLIED,
        RETRACTED,
        RETRACTION
    }
}
