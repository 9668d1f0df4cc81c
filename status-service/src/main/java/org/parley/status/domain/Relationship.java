package org.parley.status.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The projection of one bilateral relationship: a pure value, the fold of its statements.
 * conditions / incentives map a party code to its standing positions, in first-stated order.
 * version and updatedAt are not here: they belong to storage.
 */
public record Relationship(
        String id,
        List<String> parties,
        Status status,
        Invitation invitation,
        String awaitingResponseFrom,
        Map<String, List<Position>> conditions,
        Map<String, List<Position>> incentives,
        Meeting meeting,
        LastEvent lastEvent,
        int eventCount) {

    /** The open invitation's issuedAt while it waits unanswered (INVITATION_OPEN or NO_RESPONSE). */
    public Instant silentSince() {
        return (status == Status.INVITATION_OPEN || status == Status.NO_RESPONSE) && invitation != null
                ? invitation.issuedAt()
                : null;
    }

    public Instant lastEventAt() {
        return lastEvent == null ? null : lastEvent.occurredAt();
    }
}
