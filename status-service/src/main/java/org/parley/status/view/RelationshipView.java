package org.parley.status.view;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.parley.status.domain.Invitation;
import org.parley.status.domain.LastEvent;
import org.parley.status.domain.Meeting;
import org.parley.status.domain.Position;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.Status;

/**
 * GET /relationships/{a}/{b} and the relationship streams: the projection plus what storage adds. Spelled out, rather than the domain
 * record serialised, so that the HTTP contract does not move when the fold's internals (retractedIds) do.
 * version and updatedAt are null for an asOf view.
 */
public record RelationshipView(
        String id,
        List<String> parties,
        Status status,
        Invitation invitation,
        String awaitingResponseFrom,
        Instant silentSince,
        Map<String, List<Position>> conditions,
        Map<String, List<Position>> incentives,
        Meeting meeting,
        LastEvent lastEvent,
        Instant lastEventAt,
        int eventCount,
        Long version,
        Instant updatedAt) {

    public static RelationshipView of(Relationship r, Long version, Instant updatedAt) {
        return new RelationshipView(r.id(), r.parties(), r.status(), r.invitation(), r.awaitingResponseFrom(),
                r.silentSince(), r.conditions(), r.incentives(), r.meeting(), r.lastEvent(), r.lastEventAt(),
                r.eventCount(), version, updatedAt);
    }
}
