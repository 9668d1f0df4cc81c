-- Who posted each statement: the record's CloudEvents authcontext (ce_authid), and the poster's roles
-- (ce_authroles). NULL for records published before ingest named its clients.
ALTER TABLE statement ADD COLUMN posted_by text;
ALTER TABLE statement ADD COLUMN poster_roles text;
-- A replay's tables, if one is under way or parked, take the same shape (they are made LIKE the live ones).
DO $$
BEGIN
    IF to_regclass('statement_next') IS NOT NULL THEN
        ALTER TABLE statement_next ADD COLUMN IF NOT EXISTS posted_by text;
        ALTER TABLE statement_next ADD COLUMN IF NOT EXISTS poster_roles text;
    END IF;
    IF to_regclass('statement_old') IS NOT NULL THEN
        ALTER TABLE statement_old ADD COLUMN IF NOT EXISTS posted_by text;
        ALTER TABLE statement_old ADD COLUMN IF NOT EXISTS poster_roles text;
    END IF;
END $$;
