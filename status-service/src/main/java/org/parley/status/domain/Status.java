package org.parley.status.domain;

/** Where a bilateral relationship stands. */
public enum Status {
    NO_INVITATION,
    INVITATION_OPEN,
    NO_RESPONSE,
    CONDITIONS_SET,
    ACCEPTED,
    DECLINED,
    WITHDRAWN,
    MEETING_SCHEDULED,
    MEETING_HELD;

    /** An invitation still waiting for an answer. */
    public boolean isOpen() {
        return this == INVITATION_OPEN || this == NO_RESPONSE || this == CONDITIONS_SET;
    }
}
