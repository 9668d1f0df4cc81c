package org.parley.status.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.parley.contract.Statement;
import org.parley.contract.StatementType;

/** Terse statements for example tests: times are minutes after a fixed origin, recorded a minute later. */
final class Statements {
    static final Instant ORIGIN = Instant.parse("2025-10-24T00:00:00Z");

    private final StatementType type;
    private final String source;
    private final String target;
    private UUID eventId = UUID.randomUUID();
    private Instant occurredAt = ORIGIN;
    private Instant recordedAt;
    private String summary;
    private List<String> conditions = List.of();
    private List<String> incentives = List.of();
    private UUID retracts;
    private Instant meetingAt;
    private String location;

    private Statements(StatementType type, String source, String target) {
        this.type = type;
        this.source = source;
        this.target = target;
    }

    static Statements by(String source, StatementType type, String target) {
        return new Statements(type, source, target);
    }

    static Instant minute(int minutes) {
        return ORIGIN.plusSeconds(60L * minutes);
    }

    Statements at(int minutes) {
        occurredAt = minute(minutes);
        return this;
    }

    Statements recordedAt(Instant recorded) {
        recordedAt = recorded;
        return this;
    }

    Statements id(UUID id) {
        eventId = id;
        return this;
    }

    Statements summary(String text) {
        summary = text;
        return this;
    }

    Statements conditions(String... texts) {
        conditions = List.of(texts);
        return this;
    }

    Statements incentives(String... texts) {
        incentives = List.of(texts);
        return this;
    }

    Statements retracts(Statement retracted) {
        return retracts(retracted.eventId());
    }

    Statements retracts(UUID id) {
        retracts = id;
        return this;
    }

    Statements meeting(Instant at, String where) {
        meetingAt = at;
        location = where;
        return this;
    }

    Statement build() {
        return new Statement(eventId, type, source, target, occurredAt,
                recordedAt != null ? recordedAt : occurredAt.plusSeconds(60), null, summary, null, null,
                conditions, incentives, retracts, meetingAt, location);
    }
}
