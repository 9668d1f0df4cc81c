package org.parley.ingest.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import org.parley.contract.FieldError;
import org.parley.contract.StatementJson;
import org.parley.support.http.ProblemException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Reads request bodies ourselves, so that the size limits and JSON syntax errors are answered with our
 * problem+json (and a field path where the parser knows one) instead of a framework default. Parsing is the
 * contract's codec, the same one status-service reads records with.
 */
final class JsonBody {
    private JsonBody() {
    }

    /** A body already in memory as a JSON tree, or a 413/400 ProblemException. */
    static JsonNode read(byte[] body, int limit, String what) {
        checkSize(body, limit, what);
        try {
            return StatementJson.read(body);
        } catch (StatementJson.SyntaxError e) {
            throw notJson(e);
        }
    }

    /**
     * A batch: a JSON array of at most maxItems events, read item by item so that no body can make the service
     * build a tree of a million items (a 4 MiB body of empty objects) before counting them. The items, or a
     * 413 at the first item past maxItems, or 400.
     */
    static ArrayNode readBatch(InputStream in, int limit, int maxItems) {
        byte[] body;
        try {
            body = in.readNBytes(limit + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        checkSize(body, limit, "a batch");
        try {
            ArrayNode items = StatementJson.readArray(body, maxItems);
            if (items == null) {
                throw ProblemException.badRequest("The body must be a JSON array of events",
                        List.of(new FieldError(null, "expected a JSON array of events")));
            }
            return items;
        } catch (StatementJson.TooManyItems e) {
            throw new ProblemException(413, "A batch holds at most " + e.limit + " events; split it",
                    List.of(new FieldError(null, "a batch holds 1 to " + e.limit + " events, this one has more")));
        } catch (StatementJson.SyntaxError e) {
            throw notJson(e);
        }
    }

    private static void checkSize(byte[] body, int limit, String what) {
        if (body.length > limit) {
            throw ProblemException.tooLarge("The body may be at most " + size(limit) + " for " + what);
        }
        if (body.length == 0) {
            throw ProblemException.badRequest("The body is empty; expected " + what + " as JSON", null);
        }
    }

    private static ProblemException notJson(StatementJson.SyntaxError e) {
        String detail = (e.limit ? "The body passes a limit of the JSON parser" : "The body is not valid JSON")
                + (e.line > 0 ? " (line " + e.line + ", column " + e.column + ")" : "") + ": " + e.getMessage();
        // The path is where the parser was: the field at fault, or the one just before the fault.
        return ProblemException.badRequest(detail, List.of(new FieldError(e.path,
                (e.limit ? "over a parser limit here: " : "invalid JSON here: ") + e.getMessage())));
    }

    private static String size(int bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
    }
}
