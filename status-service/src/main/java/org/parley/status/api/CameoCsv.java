package org.parley.status.api;

import java.util.Locale;

import org.parley.contract.EventCoding;
import org.parley.contract.Statement;

/**
 * One statement as a CSV row (RFC 4180: comma separated, CRLF, fields quoted where they must be) with its CAMEO
 * code and the code's Goldstein score, beside the PLOVER coding. Codes stay text: 036, never 36.
 */
final class CameoCsv {
    static final String HEADER = "eventId,date,occurredAt,source,target,type,cameoCode,goldstein,ploverEvent,"
            + "ploverMode,ploverContext,speaker,sourceUrl,summary\r\n";

    private CameoCsv() {
    }

    static String row(Statement statement, EventCoding.Code code) {
        String occurredAt = statement.occurredAt().toString();
        return String.join(",", statement.eventId().toString(), occurredAt.substring(0, 10), occurredAt,
                statement.source(), statement.target(), statement.type().name(), code.cameo(),
                String.format(Locale.ROOT, "%.1f", code.goldstein()), code.event().name(), field(code.mode()),
                field(code.context()), field(statement.speaker()), field(statement.sourceUrl()),
                field(statement.summary())) + "\r\n";
    }

    /** Quoted when it holds a comma, a quote or a line break; quotes doubled. Absent: empty. */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
