package org.parley.status.changes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.parley.status.persistence.ChangeOutbox;

/**
 * What a change event says, on the relationship-changes topic and in a webhook's data: changeNumber orders the
 * changes and recognises a duplicate (delivery is at least once); causedBy is the statement whose arrival made
 * the change (null after a replay, where the last statement in effect is given when known), causedByType its
 * type (what an endpoint's eventKinds filter matches).
 */
public record ChangeEvent(long changeNumber, String relationshipId, List<String> parties, String statusBefore,
        String statusAfter, long version, UUID causedBy, String causedByType, Instant changedAt) {

    public static final String TYPE = "org.parley.relationship.changed";

    public static ChangeEvent of(ChangeOutbox.Change c) {
        return new ChangeEvent(c.seq(), c.relationshipId(), List.of(c.partyA(), c.partyB()), c.statusBefore(),
                c.statusAfter(), c.version(), c.causeEventId(), c.causeType(), c.changedAt());
    }
}
