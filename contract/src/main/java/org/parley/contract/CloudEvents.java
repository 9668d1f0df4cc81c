package org.parley.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/** CloudEvents Kafka protocol binding, binary mode: the attributes as ce_ headers, the data as the value. */
public final class CloudEvents {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";
    static final String TYPE_PREFIX = "org.parley.statement.";

    private CloudEvents() {
    }

    /** The headers of a statement's record, in order: ce_id = eventId, ce_time = occurredAt. */
    public static Map<String, String> headers(Statement statement, String source) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, "1.0");
        headers.put(ID, statement.eventId().toString());
        headers.put(TYPE, statement.type().cloudEventType());
        headers.put(SOURCE, source);
        headers.put(TIME, statement.occurredAt().toString());
        headers.put(CONTENT_TYPE, "application/json");
        return headers;
    }
}
