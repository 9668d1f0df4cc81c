package org.parley.status.domain;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.parley.contract.Statement;
import org.parley.contract.StatementType;
import org.parley.status.domain.FoldTrace.Field;

/**
 * evolve for one statement in effect: a working copy of the state, changed per the rules table, then sealed.
 * What each rule set, and which fields its guard read, is told to a {@link FoldTrace} (the provenance).
 */
final class Evolution {
    private final Relationship before;
    private final Statement statement;
    private final FoldTrace trace;
    /** The rule that applied, the fields it assigned and those its guard read. */
    private String rule;
    private final Set<Field> assigned = EnumSet.noneOf(Field.class);
    private final Set<Field> reads = EnumSet.noneOf(Field.class);
    private boolean unconditional;
    private final String source;
    private Status status;
    private Invitation invitation;
    private String awaitingResponseFrom;
    private final Map<String, List<Position>> conditions;
    private final Map<String, List<Position>> incentives;
    private Meeting meeting;

    private Evolution(Relationship before, Statement statement, FoldTrace trace) {
        this.before = before;
        this.statement = statement;
        this.trace = trace;
        this.source = statement.source();
        this.status = before.status();
        this.invitation = before.invitation();
        this.awaitingResponseFrom = before.awaitingResponseFrom();
        this.conditions = new TreeMap<>(before.conditions());
        this.incentives = new TreeMap<>(before.incentives());
        this.meeting = before.meeting();
    }

    static Relationship of(Relationship state, Statement statement) {
        return of(state, statement, FoldTrace.NONE);
    }

    static Relationship of(Relationship state, Statement statement, FoldTrace trace) {
        Evolution next = new Evolution(state, statement, trace);
        next.applyRule();
        Relationship after = next.seal();
        if (trace != FoldTrace.NONE) {
            next.tell(after);
        }
        return after;
    }

    private void applyRule() {
        switch (statement.type()) {
            case INVITATION_ISSUED -> {
                List<String> offered = Positions.distinct(statement.incentives());
                rule("INVITATION_ISSUED opens an invitation from the source to the target, who is then awaited", true);
                invitation = new Invitation(source, statement.target(), statement.occurredAt(), statement.eventId(),
                        offered);
                restate(incentives, offered, FoldTrace.Standing.INCENTIVES,
                        "INVITATION_ISSUED with incentives states them as the source's incentives");
                status = Status.INVITATION_OPEN;
                awaitingResponseFrom = statement.target();
                assign(Field.INVITATION, Field.STATUS, Field.OPEN, Field.AWAITING);
            }
            case NO_RESPONSE -> {
                if (openInvitationTo(source)) {
                    rule("NO_RESPONSE from the invitee of an open invitation: the invitee is still awaited", false);
                    status = Status.NO_RESPONSE;
                    awaitingResponseFrom = source; // the invitee is still silent, even after setting conditions
                    assign(Field.STATUS, Field.AWAITING);
                }
            }
            case CONDITIONS_REITERATED -> {
                restate(conditions, statement.conditions(), FoldTrace.Standing.CONDITIONS,
                        "CONDITIONS_REITERATED states the source's conditions (restating one refreshes it)");
                if (openInvitationTo(source)) {
                    rule("CONDITIONS_REITERATED by the invitee of an open invitation: conditions set, the inviter "
                            + "is awaited", false);
                    status = Status.CONDITIONS_SET;
                    awaitingResponseFrom = invitation.from();
                    assign(Field.STATUS, Field.AWAITING);
                }
            }
            case INCENTIVE_OFFERED -> {
                restate(incentives, statement.incentives(), FoldTrace.Standing.INCENTIVES,
                        "INCENTIVE_OFFERED states the source's incentives (restating one refreshes it)");
                reads.add(Field.OPEN);
                if (status.isOpen()) {
                    reads.add(Field.INVITATION);
                }
                if (status.isOpen() && invitation != null && source.equals(invitation.from())) {
                    rule("INCENTIVE_OFFERED by the inviter adds to the open invitation's incentives", false);
                    invitation = new Invitation(invitation.from(), invitation.to(), invitation.issuedAt(),
                            invitation.eventId(), Positions.union(invitation.incentives(), statement.incentives()));
                    assign(Field.INVITATION);
                }
            }
            case INVITATION_ACCEPTED -> answer(Status.ACCEPTED);
            case INVITATION_DECLINED -> answer(Status.DECLINED);
            case INVITATION_WITHDRAWN -> {
                reads.add(Field.STATUS);
                if (status.isOpen() || status == Status.ACCEPTED || status == Status.MEETING_SCHEDULED) {
                    rule("INVITATION_WITHDRAWN closes an open, accepted or scheduled invitation: WITHDRAWN", false);
                    close(Status.WITHDRAWN);
                }
            }
            case MEETING_SCHEDULED, MEETING_HELD -> {
                rule(statement.type() == StatementType.MEETING_HELD
                        ? "MEETING_HELD sets the meeting and the status MEETING_HELD, and closes any invitation"
                        : "MEETING_SCHEDULED sets the meeting and the status MEETING_SCHEDULED, and closes any invitation",
                        true);
                meeting = new Meeting(statement.meetingAt(), statement.location());
                assign(Field.MEETING);
                close(statement.type() == StatementType.MEETING_HELD ? Status.MEETING_HELD : Status.MEETING_SCHEDULED);
            }
            case STATEMENT_RETRACTED -> throw new IllegalArgumentException("a retraction is not a statement in effect");
        }
    }

    /** Reads whether an invitation is open and, if so, to whom. */
    private boolean openInvitationTo(String party) {
        reads.add(Field.OPEN);
        if (!status.isOpen()) {
            return false;
        }
        reads.add(Field.INVITATION);
        return invitation != null && party.equals(invitation.to());
    }

    private void answer(Status answer) {
        if (openInvitationTo(source)) {
            rule(answer == Status.ACCEPTED ? "INVITATION_ACCEPTED by the invitee of an open invitation closes it: ACCEPTED"
                    : "INVITATION_DECLINED by the invitee of an open invitation closes it: DECLINED", false);
            close(answer);
        }
    }

    private void close(Status closed) {
        status = closed;
        awaitingResponseFrom = null;
        assign(Field.STATUS, Field.OPEN, Field.AWAITING);
    }

    private void rule(String text, boolean whateverTheState) {
        rule = text;
        unconditional = whateverTheState;
    }

    private void assign(Field... fields) {
        assigned.addAll(List.of(fields));
    }

    private void restate(Map<String, List<Position>> byParty, List<String> texts, FoldTrace.Standing kind,
            String why) {
        if (!texts.isEmpty()) {
            byParty.put(source, Positions.restate(byParty.getOrDefault(source, List.of()), texts,
                    statement.occurredAt()));
            if (trace != FoldTrace.NONE) {
                for (String text : Positions.distinct(texts)) {
                    trace.stated(statement, kind, source, Positions.normalise(text), why);
                }
            }
        }
    }

    /**
     * Tells the trace what this statement produced: every field its rule assigned that it set whatever the state
     * or that changed (a guarded rule that leaves a value as it was does not produce it anew), and the last event.
     */
    private void tell(Relationship after) {
        Set<Field> none = EnumSet.noneOf(Field.class);
        for (Field field : assigned) {
            if (unconditional || !Objects.equals(value(before, field), value(after, field))) {
                trace.set(statement, field, rule, unconditional ? none : reads);
            }
        }
        trace.set(statement, Field.LAST_EVENT, "every statement in effect is the last event until a later one", none);
    }

    static Object value(Relationship state, Field field) {
        return switch (field) {
            case STATUS -> state.status();
            case OPEN -> state.status().isOpen();
            case INVITATION -> state.invitation();
            case AWAITING -> state.awaitingResponseFrom();
            case MEETING -> state.meeting();
            case LAST_EVENT -> state.lastEvent();
        };
    }

    private Relationship seal() {
        LastEvent last = new LastEvent(statement.eventId(), statement.type(), source, statement.target(),
                statement.occurredAt(), statement.recordedAt(), statement.summary());
        return new Relationship(before.id(), before.parties(), status, invitation, awaitingResponseFrom, conditions,
                incentives, meeting, last, before.eventCount() + 1, before.retractedIds());
    }
}
