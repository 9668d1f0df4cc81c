-- Operator replays (POST /admin/replay): one row per replay. A replay builds statement_next,
-- relationship_next and consumer_offset_next from offset 0 beside the live tables, then renames them into
-- place in one transaction. At most one row is RUNNING or SWITCHING at a time.
CREATE TABLE replay (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- RUNNING (building, then keeping up), SWITCHING (live consumer paused, draining), DONE, FAILED
    state       text        NOT NULL,
    -- how the current run began: started (fresh), resumed (from consumer_offset_next after a restart),
    -- restarted (after a restart whose next tables were gone: from offset 0 again)
    mode        text        NOT NULL,
    started_at  timestamptz NOT NULL,
    -- when the current run began (differs from started_at once resumed or restarted)
    run_started_at timestamptz NOT NULL,
    finished_at timestamptz,
    switched_at timestamptz,
    -- offsets to cover: the end offsets captured when the run began, less the beginning offsets
    total       bigint      NOT NULL DEFAULT 0,
    -- records read into the next generation so far (updated in each batch's transaction)
    processed   bigint      NOT NULL DEFAULT 0,
    -- how many times a run was resumed or restarted
    restarts    integer     NOT NULL DEFAULT 0,
    error       text
);
CREATE UNIQUE INDEX replay_one_active ON replay ((true)) WHERE state IN ('RUNNING', 'SWITCHING');
