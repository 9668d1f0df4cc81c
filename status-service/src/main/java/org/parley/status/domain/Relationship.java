package org.parley.status.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The projection of one bilateral relationship: a pure value, the fold of its statements.
 * conditions / incentives map a party code to its standing positions, in first-stated order.
 * retractedIds: every eventId named by the relationship's retractions (seen or not yet seen), sorted; it lets
 * {@link RelationshipFold#apply} tell that a late statement was already retracted.
 * version and updatedAt are not here: they belong to storage.
 * Collections are copied, maps sorted and ids sorted, so equal histories give equal values and equal JSON.
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
        int eventCount,
        List<UUID> retractedIds) {

    public Relationship {
        parties = parties == null ? List.of() : List.copyOf(parties);
        conditions = sorted(conditions);
        incentives = sorted(incentives);
        // Empty along a refold (ids are set once at its end): no stream to build at every step.
        retractedIds = retractedIds == null || retractedIds.isEmpty() ? List.of()
                : retractedIds.stream().distinct().sorted().toList();
    }

    /** The open invitation's issuedAt while it waits unanswered (INVITATION_OPEN or NO_RESPONSE). */
    public Instant silentSince() {
        return (status == Status.INVITATION_OPEN || status == Status.NO_RESPONSE) && invitation != null
                ? invitation.issuedAt()
                : null;
    }

    public Instant lastEventAt() {
        return lastEvent == null ? null : lastEvent.occurredAt();
    }

    private static Map<String, List<Position>> sorted(Map<String, List<Position>> byParty) {
        TreeMap<String, List<Position>> copy = new TreeMap<>();
        if (byParty != null) {
            byParty.forEach((party, positions) -> copy.put(party, positions == null ? List.of() : List.copyOf(positions)));
        }
        return Collections.unmodifiableMap(copy);
    }
}
