-- The outbox of relationship changes: one row per projection change, written in the projection transaction
-- (changes/ChangeOutbox) under the change feed's advisory lock, so change_seq order is commit order and a
-- reader past seq N never sees a change <= N appear later. The Kafka relay and the webhook dispatcher read it.
CREATE TABLE relationship_change (
    change_seq      bigint      PRIMARY KEY,
    relationship_id text        NOT NULL,
    party_a         text        NOT NULL,
    party_b         text        NOT NULL,
    status_before   text,
    status_after    text        NOT NULL,
    version         bigint      NOT NULL,
    cause_event_id  uuid,
    changed_at      timestamptz NOT NULL
);

-- How far each reader of the outbox got (the Kafka relay per topic, the webhook dispatcher). The row is locked
-- FOR UPDATE while a reader works, so one instance at a time advances it.
CREATE TABLE change_cursor (
    name     text   PRIMARY KEY,
    position bigint NOT NULL
);

CREATE TABLE webhook_endpoint (
    id                      uuid        PRIMARY KEY,
    url                     text        NOT NULL,
    parties                 text[]      NOT NULL,
    statuses                text[]      NOT NULL,
    secret                  text        NOT NULL,
    previous_secret         text,
    previous_secret_until   timestamptz,
    enabled                 boolean     NOT NULL,
    disabled_reason         text,
    -- Changes after this one are delivered (the newest change when it was registered).
    from_change_seq         bigint      NOT NULL,
    created_at              timestamptz NOT NULL,
    last_success_at         timestamptz
);

CREATE TABLE webhook_delivery (
    id                   uuid        PRIMARY KEY,
    endpoint_id          uuid        NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    change_seq           bigint      NOT NULL,
    payload              text        NOT NULL,
    status               text        NOT NULL, -- pending, succeeded, failed
    attempts             integer     NOT NULL DEFAULT 0,
    next_attempt_at      timestamptz NOT NULL,
    created_at           timestamptz NOT NULL,
    last_attempt_at      timestamptz,
    last_response_status integer,
    last_error           text,
    UNIQUE (endpoint_id, change_seq)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_delivery_endpoint ON webhook_delivery (endpoint_id, status, change_seq);
