package org.parley.status.domain;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.parley.contract.Statement;
import org.parley.contract.StatementType;

/** evolve for one statement in effect: a working copy of the state, changed per the rules table, then sealed. */
final class Evolution {
    private final Relationship before;
    private final Statement statement;
    private final String source;
    private Status status;
    private Invitation invitation;
    private String awaitingResponseFrom;
    private final Map<String, List<Position>> conditions;
    private final Map<String, List<Position>> incentives;
    private Meeting meeting;

    private Evolution(Relationship before, Statement statement) {
        this.before = before;
        this.statement = statement;
        this.source = statement.source();
        this.status = before.status();
        this.invitation = before.invitation();
        this.awaitingResponseFrom = before.awaitingResponseFrom();
        this.conditions = new TreeMap<>(before.conditions());
        this.incentives = new TreeMap<>(before.incentives());
        this.meeting = before.meeting();
    }

    static Relationship of(Relationship state, Statement statement) {
        Evolution next = new Evolution(state, statement);
        next.applyRule();
        return next.seal();
    }

    private void applyRule() {
        switch (statement.type()) {
            case INVITATION_ISSUED -> {
                List<String> offered = Positions.distinct(statement.incentives());
                invitation = new Invitation(source, statement.target(), statement.occurredAt(), statement.eventId(),
                        offered);
                restate(incentives, offered);
                status = Status.INVITATION_OPEN;
                awaitingResponseFrom = statement.target();
            }
            case NO_RESPONSE -> {
                if (openInvitationTo(source)) {
                    status = Status.NO_RESPONSE;
                    awaitingResponseFrom = source; // the invitee is still silent, even after setting conditions
                }
            }
            case CONDITIONS_REITERATED -> {
                restate(conditions, statement.conditions());
                if (openInvitationTo(source)) {
                    status = Status.CONDITIONS_SET;
                    awaitingResponseFrom = invitation.from();
                }
            }
            case INCENTIVE_OFFERED -> {
                restate(incentives, statement.incentives());
                if (status.isOpen() && invitation != null && source.equals(invitation.from())) {
                    invitation = new Invitation(invitation.from(), invitation.to(), invitation.issuedAt(),
                            invitation.eventId(), Positions.union(invitation.incentives(), statement.incentives()));
                }
            }
            case INVITATION_ACCEPTED -> answer(Status.ACCEPTED);
            case INVITATION_DECLINED -> answer(Status.DECLINED);
            case INVITATION_WITHDRAWN -> {
                if (status.isOpen() || status == Status.ACCEPTED || status == Status.MEETING_SCHEDULED) {
                    close(Status.WITHDRAWN);
                }
            }
            case MEETING_SCHEDULED, MEETING_HELD -> {
                meeting = new Meeting(statement.meetingAt(), statement.location());
                close(statement.type() == StatementType.MEETING_HELD ? Status.MEETING_HELD : Status.MEETING_SCHEDULED);
            }
            case STATEMENT_RETRACTED -> throw new IllegalArgumentException("a retraction is not a statement in effect");
        }
    }

    private boolean openInvitationTo(String party) {
        return status.isOpen() && invitation != null && party.equals(invitation.to());
    }

    private void answer(Status answer) {
        if (openInvitationTo(source)) {
            close(answer);
        }
    }

    private void close(Status closed) {
        status = closed;
        awaitingResponseFrom = null;
    }

    private void restate(Map<String, List<Position>> byParty, List<String> texts) {
        if (!texts.isEmpty()) {
            byParty.put(source, Positions.restate(byParty.getOrDefault(source, List.of()), texts,
                    statement.occurredAt()));
        }
    }

    private Relationship seal() {
        LastEvent last = new LastEvent(statement.eventId(), statement.type(), source, statement.target(),
                statement.occurredAt(), statement.recordedAt(), statement.summary());
        return new Relationship(before.id(), before.parties(), status, invitation, awaitingResponseFrom, conditions,
                incentives, meeting, last, before.eventCount() + 1, before.retractedIds());
    }
}
