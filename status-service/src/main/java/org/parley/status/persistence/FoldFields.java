package org.parley.status.persistence;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.parley.contract.Statement;
import org.parley.contract.StatementJson;
import org.parley.contract.StatementRules;
import org.parley.contract.StatementType;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A stored statement as the fold reads it: only the fields evolve uses, taken out of the payload by PostgreSQL
 * (each one as StatementRules.stored reads it), so that a refold neither converts the whole jsonb to text nor
 * parses it. What the fold never reads (speaker, quote, sourceUrl, cameoCode) is left null.
 */
final class FoldFields {
    /** The columns after the stream's own five, for a statement table aliased s. */
    static final String COLUMNS = "s.source, s.target, s.payload->>'occurredAt', s.payload->>'recordedAt',"
            + " s.payload->>'summary', s.payload->>'conditions', s.payload->>'incentives', s.payload->>'retracts',"
            + " s.payload->>'meetingAt', s.payload->>'location'";

    private FoldFields() {
    }

    /** type: the row's type column; eventId: its event_id; first: the column of COLUMNS' first. */
    static Statement read(ResultSet rs, String type, UUID eventId, int first) throws SQLException {
        int c = first;
        try {
            return new Statement(eventId, StatementType.valueOf(type), rs.getString(c++), rs.getString(c++),
                    instant(rs.getString(c++)), instant(rs.getString(c++)), null, rs.getString(c++), null, null,
                    texts(rs.getString(c++)), texts(rs.getString(c++)), uuid(rs.getString(c++)),
                    instant(rs.getString(c++)), rs.getString(c), null);
        } catch (RuntimeException | IOException e) {
            throw new IllegalStateException("stored payload of " + eventId + " breaks the contract: " + e, e);
        }
    }

    private static Instant instant(String text) {
        return text == null ? null : StatementRules.storedInstant(text);
    }

    private static UUID uuid(String text) {
        return text == null ? null : UUID.fromString(text);
    }

    /** A JSON array of strings (as ->> gives it), or null. */
    private static List<String> texts(String json) throws IOException {
        if (json == null) {
            return null;
        }
        try (JsonParser parser = StatementJson.JSON.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("not an array: " + json);
            }
            List<String> texts = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                texts.add(parser.getValueAsString());
            }
            return texts;
        }
    }
}
