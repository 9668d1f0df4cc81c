package org.parley.ingest.domain;

import static org.parley.ingest.domain.EventType.Presence.FORBIDDEN;
import static org.parley.ingest.domain.EventType.Presence.OPTIONAL;
import static org.parley.ingest.domain.EventType.Presence.REQUIRED;

import java.util.Locale;

/**
 * Statement types, with the type-dependent fields each one takes. The table mirrors the allOf/if/then
 * rules of contract/statement-event.schema.json; a property test keeps the two in step.
 */
public enum EventType {
    /** Source invites target to meet (CAMEO 036); may come with incentives. */
    INVITATION_ISSUED(FORBIDDEN, OPTIONAL, FORBIDDEN, FORBIDDEN),
    /** Source has not answered target's invitation as of occurredAt (CAMEO 011). */
    NO_RESPONSE(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    /** Source states its conditions for talks (CAMEO 1042). */
    CONDITIONS_REITERATED(REQUIRED, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    /** Source offers something (CAMEO 0354). */
    INCENTIVE_OFFERED(FORBIDDEN, REQUIRED, FORBIDDEN, FORBIDDEN),
    /** The invitee accepts (CAMEO 036 by the invitee). */
    INVITATION_ACCEPTED(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    /** The invitee declines (CAMEO 125). */
    INVITATION_DECLINED(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    /** Withdrawn or cancelled by either side. */
    INVITATION_WITHDRAWN(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    /** CAMEO 043/044. */
    MEETING_SCHEDULED(FORBIDDEN, FORBIDDEN, FORBIDDEN, OPTIONAL),
    /** CAMEO 043/044. */
    MEETING_HELD(FORBIDDEN, FORBIDDEN, FORBIDDEN, OPTIONAL),
    /** A newsroom correction that removes the event named in {@code retracts}. */
    STATEMENT_RETRACTED(FORBIDDEN, FORBIDDEN, REQUIRED, FORBIDDEN);

    public enum Presence { REQUIRED, OPTIONAL, FORBIDDEN }

    public final Presence conditions;
    public final Presence incentives;
    public final Presence retracts;
    /** meetingAt and location. */
    public final Presence meeting;
    private final String cloudEventType;

    EventType(Presence conditions, Presence incentives, Presence retracts, Presence meeting) {
        this.conditions = conditions;
        this.incentives = incentives;
        this.retracts = retracts;
        this.meeting = meeting;
        this.cloudEventType = "org.parley.statement." + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The CloudEvents type, e.g. org.parley.statement.invitation-issued. */
    public String cloudEventType() {
        return cloudEventType;
    }
}
