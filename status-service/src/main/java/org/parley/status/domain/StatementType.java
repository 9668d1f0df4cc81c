package org.parley.status.domain;

/** What a statement says; CAMEO codes in the contract schema. */
public enum StatementType {
    INVITATION_ISSUED,
    NO_RESPONSE,
    CONDITIONS_REITERATED,
    INCENTIVE_OFFERED,
    INVITATION_ACCEPTED,
    INVITATION_DECLINED,
    INVITATION_WITHDRAWN,
    MEETING_SCHEDULED,
    MEETING_HELD,
    STATEMENT_RETRACTED
}
