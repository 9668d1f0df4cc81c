package org.parley.ingest.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.parley.ingest.domain.FieldError;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads request bodies ourselves, so that the size limits and JSON syntax errors are answered with our
 * problem+json (and a field path where Jackson knows one) instead of a framework default.
 */
final class JsonBody {
    // Duplicate keys are refused: which of two "source" values would be meant?
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonBody() {
    }

    /** The body as parsed JSON (Map, List, String, Number, Boolean), or a 413/400 ProblemException. */
    static Object read(InputStream in, int limit, String what) {
        byte[] body;
        try {
            body = in.readNBytes(limit + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return read(body, limit, what);
    }

    /** The same for a body already in memory. */
    static Object read(byte[] body, int limit, String what) {
        if (body.length > limit) {
            throw ProblemException.tooLarge("The body may be at most " + size(limit) + " for " + what);
        }
        if (body.length == 0) {
            throw ProblemException.badRequest("The body is empty; expected " + what + " as JSON", null);
        }
        try {
            return JSON.readValue(body, Object.class);
        } catch (JsonProcessingException e) {
            String path = e.getProcessor() instanceof JsonParser parser ? path(parser.getParsingContext()) : null;
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Trailing token")) {
                message = "unexpected content after the end of the JSON value";
            }
            JsonLocation at = e.getLocation();
            String detail = "The body is not valid JSON"
                    + (at != null && at.getLineNr() > 0 ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : "")
                    + ": " + message;
            // The path is where the parser was: the field at fault, or the one just before the fault.
            throw ProblemException.badRequest(detail, List.of(new FieldError(path, "invalid JSON here: " + message)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String size(int bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
    }

    /** Where the parser was, as "conditions[1]" or "[3].source"; null at the top level. */
    private static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            } else if (c.inArray() && c.getCurrentIndex() >= 0) {
                parts.push("[" + c.getCurrentIndex() + "]");
            }
        }
        String path = String.join("", parts);
        return path.isEmpty() ? null : path.startsWith(".") ? path.substring(1) : path;
    }
}
