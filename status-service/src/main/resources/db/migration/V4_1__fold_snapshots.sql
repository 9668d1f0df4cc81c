-- Snapshots of a relationship's fold state at intervals of its history (every parley.refold.snapshot-interval
-- statements in effect), so that a late statement or a correction refolds from the last snapshot before it
-- instead of from the first statement. Part of a generation like the projections: a replay builds
-- fold_snapshot_next and the switch renames it into place with the others.
CREATE TABLE fold_snapshot (
    relationship_id text NOT NULL,
    -- Where the snapshot stands: the fold key of the last statement folded into it, the same text as
    -- fold_key(payload, event_id) (V3_7) gives for that statement; compared byte-wise.
    fold_key        text COLLATE "C" NOT NULL,
    -- The domain Relationship just after that statement, as JSON, without retractedIds.
    state           jsonb NOT NULL,
    PRIMARY KEY (relationship_id, fold_key)
);
