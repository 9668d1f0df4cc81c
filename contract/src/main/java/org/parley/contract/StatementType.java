package org.parley.contract;

import static org.parley.contract.StatementType.Presence.FORBIDDEN;
import static org.parley.contract.StatementType.Presence.OPTIONAL;
import static org.parley.contract.StatementType.Presence.REQUIRED;

import java.util.Locale;

/**
 * What a statement says, with the type-dependent fields each type requires, permits or forbids. The table
 * mirrors the allOf/if/then rules of contract/statement-event.schema.json; SchemaAgreementTest keeps the two
 * in step. Each type's CAMEO code and PLOVER event are in {@link EventCoding}.
 */
public enum StatementType {
    /** Source invites target to meet; may come with incentives. */
    INVITATION_ISSUED(FORBIDDEN, OPTIONAL, FORBIDDEN, FORBIDDEN),
    /** Source has not answered target's invitation as of occurredAt: an observation, not a coded event. */
    NO_RESPONSE(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    /** Source states its conditions for talks. */
    CONDITIONS_REITERATED(REQUIRED, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    /** Source offers something. */
    INCENTIVE_OFFERED(FORBIDDEN, REQUIRED, FORBIDDEN, FORBIDDEN),
    /** The invitee accepts. */
    INVITATION_ACCEPTED(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    /** The invitee declines. */
    INVITATION_DECLINED(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    /** Withdrawn or cancelled by either side. */
    INVITATION_WITHDRAWN(FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    /** A meeting is announced, with optional meetingAt and location. */
    MEETING_SCHEDULED(FORBIDDEN, FORBIDDEN, FORBIDDEN, OPTIONAL),
    /** A meeting took place. */
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

    StatementType(Presence conditions, Presence incentives, Presence retracts, Presence meeting) {
        this.conditions = conditions;
        this.incentives = incentives;
        this.retracts = retracts;
        this.meeting = meeting;
        this.cloudEventType = CloudEvents.TYPE_PREFIX + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The CloudEvents type ({@code ce_type}), e.g. org.parley.statement.invitation-issued. */
    public String cloudEventType() {
        return cloudEventType;
    }

    /** Whether a type-dependent field may be present: conditions, incentives, retracts, meetingAt, location. */
    public Presence presence(String field) {
        return switch (field) {
            case "conditions" -> conditions;
            case "incentives" -> incentives;
            case "retracts" -> retracts;
            case "meetingAt", "location" -> meeting;
            default -> throw new IllegalArgumentException("not a type-dependent field: " + field);
        };
    }
}
