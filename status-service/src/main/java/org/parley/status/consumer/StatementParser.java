package org.parley.status.consumer;

import java.nio.charset.StandardCharsets;

import org.parley.contract.Statement;
import org.parley.contract.StatementRules;

/**
 * The consumers' view of the contract's decoder ({@link StatementRules#record(byte[], byte[])}, the same rules
 * ingest-service applies over HTTP): a record either parses, with the payload the database keeps, or is
 * rejected with the reason written to the DLQ header.
 */
public final class StatementParser {

    public sealed interface Result permits Parsed, Rejected {
    }

    /** payload: the record's JSON, as the database keeps it. */
    public record Parsed(Statement statement, String payload) implements Result {
    }

    public record Rejected(String reason) implements Result {
    }

    private StatementParser() {
    }

    /** A record as consumed: key and value bytes; the payload is the value re-serialised compactly. */
    public static Result parse(byte[] key, byte[] value) {
        return parse(key, value, false);
    }

    /**
     * As {@link #parse(byte[], byte[])}, but the payload is the value's own text, not re-serialised: the
     * consumers store it as jsonb, which normalises it, so the result is the same for less work. (The decoder
     * has checked it is strict JSON in valid UTF-8 and every string in it storable; a value that does not start
     * with '{', e.g. after a byte order mark, is re-serialised still.)
     */
    public static Result parseForStorage(byte[] key, byte[] value) {
        return parse(key, value, true);
    }

    private static Result parse(byte[] key, byte[] value, boolean keepText) {
        StatementRules.Decoded decoded = StatementRules.record(key, value);
        if (decoded instanceof StatementRules.Accepted accepted) {
            String payload = keepText && value[0] == '{' ? new String(value, StandardCharsets.UTF_8) : accepted.value().toString();
            return new Parsed(accepted.statement(), payload);
        }
        return new Rejected(((StatementRules.Rejected) decoded).reason());
    }
}
