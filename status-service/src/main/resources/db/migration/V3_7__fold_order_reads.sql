-- Reads that page or stream a relationship's history (timeline, asOf) need Statement.FOLD_ORDER in SQL.
-- The timestamptz columns keep microseconds only, so the exact order comes from the payload's instants
-- (RFC 3339 text with up to nine fraction digits) and from eventId compared as java.util.UUID does (two
-- signed 64-bit halves). The key is fixed-width text: compare it with COLLATE "C".
CREATE FUNCTION fold_instant(iso text) RETURNS text LANGUAGE sql STABLE STRICT AS $$
    SELECT to_char(regexp_replace(iso, '\.[0-9]+', '')::timestamptz AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISS')
        || rpad(coalesce(substring(iso from '\.([0-9]{1,9})'), ''), 9, '0')
$$;

CREATE FUNCTION fold_uuid(id uuid) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT translate(substr(id::text, 1, 1), '0123456789abcdef', '89abcdef01234567') || substr(id::text, 2, 18)
        || translate(substr(id::text, 20, 1), '0123456789abcdef', '89abcdef01234567') || substr(id::text, 21)
$$;

-- (occurredAt, recordedAt, eventId) of a stored statement, ordered as Statement.FOLD_ORDER.
CREATE FUNCTION fold_key(payload jsonb, event_id uuid) RETURNS text LANGUAGE sql STABLE STRICT AS $$
    SELECT fold_instant(payload->>'occurredAt') || fold_instant(payload->>'recordedAt') || fold_uuid(event_id)
$$;

-- Which statements a correction names, per relationship: a page of the timeline marks retracted statements
-- with one probe each. Only retractions are indexed.
CREATE INDEX statement_retraction ON statement (relationship_id, (lower(payload->>'retracts')))
    WHERE type = 'STATEMENT_RETRACTED';
