package org.parley.ingest.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import org.parley.contract.FieldError;
import org.parley.contract.StatementJson;
import org.parley.support.http.ProblemException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads request bodies ourselves, so that the size limits and JSON syntax errors are answered with our
 * problem+json (and a field path where the parser knows one) instead of a framework default. Parsing is the
 * contract's codec, the same one status-service reads records with.
 */
final class JsonBody {
    private JsonBody() {
    }

    /** The body as a JSON tree, or a 413/400 ProblemException. */
    static JsonNode read(InputStream in, int limit, String what) {
        byte[] body;
        try {
            body = in.readNBytes(limit + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return read(body, limit, what);
    }

    /** The same for a body already in memory. */
    static JsonNode read(byte[] body, int limit, String what) {
        if (body.length > limit) {
            throw ProblemException.tooLarge("The body may be at most " + size(limit) + " for " + what);
        }
        if (body.length == 0) {
            throw ProblemException.badRequest("The body is empty; expected " + what + " as JSON", null);
        }
        try {
            return StatementJson.read(body);
        } catch (StatementJson.SyntaxError e) {
            String detail = "The body is not valid JSON"
                    + (e.line > 0 ? " (line " + e.line + ", column " + e.column + ")" : "") + ": " + e.getMessage();
            // The path is where the parser was: the field at fault, or the one just before the fault.
            throw ProblemException.badRequest(detail, List.of(new FieldError(e.path, "invalid JSON here: " + e.getMessage())));
        }
    }

    private static String size(int bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
    }
}
