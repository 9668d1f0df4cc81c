-- Every statement ever accepted, once: the primary key is the dedupe. payload is the record's JSON as
-- published; refolds, asOf and the timeline rebuild statements from it (it keeps nanosecond instants, the
-- timestamptz columns only microseconds: they are for ordering and filtering).
CREATE TABLE statement (
    event_id        uuid        PRIMARY KEY,
    relationship_id text        NOT NULL,
    type            text        NOT NULL,
    source          text        NOT NULL,
    target          text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL,
    kafka_partition integer     NOT NULL,
    kafka_offset    bigint      NOT NULL,
    payload         jsonb       NOT NULL,
    -- When the statement became visible (its batch's transaction): POST-to-visible latency is
    -- applied_at - recorded_at (bin/bench).
    applied_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX statement_fold_order ON statement (relationship_id, occurred_at, recorded_at, event_id);

-- The projection per relationship. state is the domain Relationship as JSON, read back for the next fold;
-- the other columns serve the list filters and summaries. version moves exactly when state changes.
CREATE TABLE relationship (
    id            text        PRIMARY KEY,
    party_a       text        NOT NULL,
    party_b       text        NOT NULL,
    status        text        NOT NULL,
    state         jsonb       NOT NULL,
    event_count   integer     NOT NULL,
    last_event_at timestamptz,
    version       bigint      NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX relationship_party_a ON relationship (party_a, id);
CREATE INDEX relationship_party_b ON relationship (party_b, id);
CREATE INDEX relationship_status ON relationship (status, id);

-- Where the consumer stands, per topic partition; written in the same transaction as the projections.
CREATE TABLE consumer_offset (
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    PRIMARY KEY (topic, partition)
);
