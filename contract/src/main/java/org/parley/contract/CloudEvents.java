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
    /** The authcontext extension: who posted the record (see AuthContext). */
    public static final String AUTH_TYPE = "ce_authtype";
    public static final String AUTH_ID = "ce_authid";
    /** Parley's own extension beside authcontext: the poster's roles, comma separated. */
    public static final String AUTH_ROLES = "ce_authroles";
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

    /** The same with who posted it. */
    public static Map<String, String> headers(Statement statement, String source, AuthContext poster) {
        Map<String, String> headers = headers(statement, source);
        headers.put(AUTH_TYPE, poster.type());
        headers.put(AUTH_ID, poster.id());
        headers.put(AUTH_ROLES, String.join(",", poster.roles()));
        return headers;
    }

    /** Who posted a record, from its headers (null values where absent); null when it names nobody. */
    public static AuthContext poster(java.util.function.Function<String, String> header) {
        String id = header.apply(AUTH_ID);
        if (id == null) {
            return null;
        }
        String type = header.apply(AUTH_TYPE);
        String roles = header.apply(AUTH_ROLES);
        return new AuthContext(type == null ? AuthContext.APP_USER : type, id,
                roles == null || roles.isBlank() ? java.util.List.of() : java.util.List.of(roles.split(",")));
    }
}
