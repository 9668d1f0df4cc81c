-- The change feed behind the streams (GET .../stream, long-poll): every projection write stamps the row with
-- the next change_seq, in the writing transaction and under a transaction-scoped advisory lock, so that
-- change_seq order is commit order across instances: a reader that has seen seq N has seen every change <= N,
-- and "WHERE change_seq > N" gives exactly what happened since (a client's Last-Event-ID).
CREATE SEQUENCE relationship_change_seq;
ALTER TABLE relationship ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
CREATE INDEX relationship_change_seq_idx ON relationship (change_seq);
