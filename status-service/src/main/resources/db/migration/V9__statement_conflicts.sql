-- A statement that arrived under an eventId already stored with other content (a squatted or reused eventId):
-- kept aside here with its poster and its place in the topic, never silently dropped. Not part of a generation:
-- a replay that meets the same pair again finds the row already here (the unique key).
CREATE TABLE statement_conflict (
    id               bigserial PRIMARY KEY,
    event_id         uuid        NOT NULL,
    relationship_id  text        NOT NULL,
    kafka_partition  integer     NOT NULL,
    kafka_offset     bigint      NOT NULL,
    payload          jsonb       NOT NULL,
    posted_by        text,
    stored_posted_by text,
    detected_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (event_id, kafka_partition, kafka_offset)
);
CREATE INDEX statement_conflict_detected ON statement_conflict (detected_at);
