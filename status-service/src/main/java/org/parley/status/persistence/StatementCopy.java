package org.parley.status.persistence;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;

import org.parley.contract.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams a batch's statements into a session-local staging table with {@code COPY}: PostgreSQL parses
 * COPY's rows far more cheaply than the literal arrays an {@code unnest} insert sends (the statement insert
 * was half of a cold start's time). The staging table empties itself at commit, and rolls back with a
 * failed batch; the insert from it into a generation's statement table is {@link ProjectionRepository}'s.
 * A replay's bulk load COPYs straight into its generation's statement table instead ({@link #copy}).
 */
final class StatementCopy {
    static final String STAGING = "incoming_statement";

    /**
     * Sent by every batch with its first statement ({@link Transactions}): it creates the table in a session's
     * first one, and answers with a notice after. (Remembering which sessions have it would have to survive a
     * rolled-back first batch, whose CREATE rolls back with it.)
     */
    static final String CREATE_STAGING = "CREATE TEMP TABLE IF NOT EXISTS " + STAGING + " (event_id uuid,"
            + " relationship_id text, type text, source text, target text, occurred_at timestamptz,"
            + " recorded_at timestamptz, kafka_partition integer, kafka_offset bigint, payload text,"
            + " posted_by text, poster_roles text)"
            + " ON COMMIT DELETE ROWS";

    private static final String COLUMNS = "event_id, relationship_id, type, source, target, occurred_at, recorded_at,"
            + " kafka_partition, kafka_offset, payload, posted_by, poster_roles";

    private static final int FLUSH_CHARS = 1 << 16;

    private StatementCopy() {
    }

    /** Writes every statement as one row of the staging table ({@link #CREATE_STAGING}: already run), in COPY's text format. */
    static void stage(Connection c, Collection<ProjectionWriter.Incoming> statements) throws SQLException {
        copy(c, STAGING, statements);
    }

    /** Writes every statement as one row of table (the staging table, or a statement table), in COPY's text format. */
    static void copy(Connection c, String table, Collection<ProjectionWriter.Incoming> statements) throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + COLUMNS + ") FROM STDIN");
        try {
            StringBuilder rows = new StringBuilder(FLUSH_CHARS + 1024);
            for (ProjectionWriter.Incoming in : statements) {
                Statement s = in.statement();
                rows.append(s.eventId()).append('\t');
                field(rows, s.relationshipId());
                field(rows, s.type().name());
                field(rows, s.source());
                field(rows, s.target());
                rows.append(s.occurredAt()).append('\t').append(s.recordedAt()).append('\t')
                        .append(in.partition()).append('\t').append(in.offset()).append('\t');
                field(rows, in.payload());
                if (in.postedBy() == null) {
                    rows.append("\\N\t\\N");
                } else {
                    field(rows, in.postedBy().id());
                    escape(rows, String.join(",", in.postedBy().roles()));
                }
                rows.append('\n');
                if (rows.length() >= FLUSH_CHARS) {
                    flush(copy, rows);
                }
            }
            flush(copy, rows);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void field(StringBuilder rows, String value) {
        escape(rows, value);
        rows.append('\t');
    }

    /**
     * COPY text format: backslash, tab, newline and carriage return are escaped; nothing else is. The runs between
     * them are appended whole: a character at a time was a tenth of a cold start's consumer thread.
     */
    static void escape(StringBuilder rows, String value) {
        int run = 0;
        for (int i = 0, n = value.length(); i < n; i++) {
            String escaped = switch (value.charAt(i)) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escaped != null) {
                rows.append(value, run, i).append(escaped);
                run = i + 1;
            }
        }
        rows.append(value, run, value.length());
    }

    private static void flush(CopyIn copy, StringBuilder rows) throws SQLException {
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        rows.setLength(0);
    }
}
