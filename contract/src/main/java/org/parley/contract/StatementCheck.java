package org.parley.contract;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.parley.contract.StatementRules.Result;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One pass of {@link StatementRules} over one item, collecting every broken rule. {@code prefix} is "" for a
 * single event and "[i]" inside a batch; {@code record} says whether it is a record as published (eventId and
 * recordedAt required) or a posted body received at {@code now} (recordedAt refused, eventId derived if absent).
 */
final class StatementCheck {

    private final String prefix;
    private final boolean record;
    private final Instant now;
    private final List<FieldError> errors = new ArrayList<>(0);

    StatementCheck(String prefix, boolean record, Instant now) {
        this.prefix = prefix;
        this.record = record;
        this.now = now;
    }

    Result run(JsonNode json) {
        if (json == null || !json.isObject()) {
            errors.add(new FieldError(prefix.isEmpty() ? null : prefix, "expected a JSON object (one event)"));
            return new Result(null, List.copyOf(errors));
        }
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            String name = field.getKey();
            if ("recordedAt".equals(name) && !record) {
                error("recordedAt", "is set by the server and must not be sent");
            } else if (!StatementRules.FIELDS.contains(name)) {
                error(name, "unknown field");
            }
        }
        UUID eventId = uuid(json, "eventId", record);
        StatementType type = type(json);
        String source = country(json, "source");
        String target = country(json, "target");
        if (source != null && source.equals(target)) {
            error("target", "must differ from source");
        }
        Instant occurredAt = instant(json, "occurredAt", true);
        Instant recordedAt = record ? instant(json, "recordedAt", true) : null;
        Instant horizon = record ? recordedAt : now;
        if (occurredAt != null && horizon != null && occurredAt.isAfter(horizon.plus(StatementRules.MAX_FUTURE))) {
            error("occurredAt", record ? "must not be more than 24 hours after recordedAt"
                    : "must not be more than 24 hours in the future");
        }
        String speaker = text(json, "speaker", StatementRules.MAX_SPEAKER);
        String summary = text(json, "summary", StatementRules.MAX_TEXT);
        String quote = text(json, "quote", StatementRules.MAX_TEXT);
        String sourceUrl = url(json);
        List<String> conditions = positions(json, "conditions");
        List<String> incentives = positions(json, "incentives");
        UUID retracts = uuid(json, "retracts", false);
        Instant meetingAt = instant(json, "meetingAt", false);
        String location = text(json, "location", StatementRules.MAX_LOCATION);
        String cameoCode = string(json, "cameoCode", false);
        if (type != null && cameoCode != null) {
            String inconsistency = EventCoding.inconsistency(type, cameoCode);
            if (inconsistency != null) {
                error("cameoCode", inconsistency);
            }
        }
        if (type != null) {
            for (String field : List.of("conditions", "incentives", "retracts", "meetingAt", "location")) {
                presence(json, field, type);
            }
        }
        if (!errors.isEmpty()) {
            return new Result(null, List.copyOf(errors));
        }
        Statement statement = new Statement(eventId, type, source, target, occurredAt, recordedAt, speaker, summary,
                quote, sourceUrl, conditions, incentives, retracts, meetingAt, location, cameoCode);
        if (eventId == null) {
            statement = statement.withEventId(EventIds.derive(statement));
        }
        if (statement.eventId().equals(retracts)) {
            error("retracts", "must name an earlier event, not this one");
            return new Result(null, List.copyOf(errors));
        }
        return new Result(statement, List.of());
    }

    private void error(String field, String message) {
        errors.add(new FieldError(prefix.isEmpty() ? field : prefix + "." + field, message));
    }

    /** A string field; JSON null counts as absent. Unstorable text is reported here, once for every field. */
    private String string(JsonNode json, String field, boolean required) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            error(field, "must be a string");
            return null;
        }
        return storable(field, value.textValue());
    }

    private String storable(String field, String text) {
        String problem = Text.unstorable(text);
        if (problem != null) {
            error(field, problem);
            return null;
        }
        return text;
    }

    private UUID uuid(JsonNode json, String field, boolean required) {
        String s = string(json, field, required);
        if (s == null) {
            return null;
        }
        if (!StatementRules.isUuid(s)) {
            error(field, "must be a UUID such as 6f1c2a8e-3b7d-4e51-9a0c-2d4e8f6a1b01");
            return null;
        }
        return UUID.fromString(s);
    }

    private StatementType type(JsonNode json) {
        String s = string(json, "type", true);
        if (s == null) {
            return null;
        }
        for (StatementType type : StatementType.values()) {
            if (type.name().equals(s)) {
                return type;
            }
        }
        error("type", "must be one of " + StatementRules.TYPES);
        return null;
    }

    private String country(JsonNode json, String field) {
        String s = string(json, field, true);
        if (s == null) {
            return null;
        }
        if (!Countries.hasForm(s)) {
            error(field, "must be an ISO 3166-1 alpha-3 code in upper case, such as USA");
            return null;
        }
        if (!Countries.isCode(s)) {
            error(field, "is not an ISO 3166-1 alpha-3 country code");
            return null;
        }
        return s;
    }

    private Instant instant(JsonNode json, String field, boolean required) {
        String s = string(json, field, required);
        if (s == null) {
            return null;
        }
        try {
            return Instants.parse(s);
        } catch (Instants.RuleBroken e) {
            error(field, e.getMessage());
            return null;
        }
    }

    /** Free text: at most {@code max} characters, with something visible in it. */
    private String text(JsonNode json, String field, int max) {
        String s = string(json, field, false);
        return s == null ? null : checkedText(field, s, max);
    }

    private String checkedText(String field, String s, int max) {
        if (Text.length(s) > max) {
            error(field, "must be at most " + max + " characters");
            return null;
        }
        if (!Text.visible(s)) {
            error(field, "must not be blank (only spaces or invisible characters); leave it out instead");
            return null;
        }
        return s;
    }

    private String url(JsonNode json) {
        String s = string(json, "sourceUrl", false);
        if (s == null) {
            return null;
        }
        if (Text.length(s) > StatementRules.MAX_URL) {
            error("sourceUrl", "must be at most " + StatementRules.MAX_URL + " characters");
            return null;
        }
        if (s.codePoints().noneMatch(Text::invisible)) {
            try {
                URI uri = new URI(s);
                String scheme = uri.getScheme();
                if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                        && uri.getHost() != null && !uri.getHost().isEmpty()) {
                    return s;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
        }
        error("sourceUrl", "must be an absolute http or https URL, without spaces or invisible characters");
        return null;
    }

    private List<String> positions(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            error(field, "must be an array of 1 to " + StatementRules.MAX_POSITIONS + " strings");
            return null;
        }
        if (value.isEmpty() || value.size() > StatementRules.MAX_POSITIONS) {
            error(field, "must hold 1 to " + StatementRules.MAX_POSITIONS + " items, not " + value.size());
            return null;
        }
        List<String> result = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String item = field + "[" + i + "]";
            JsonNode node = value.get(i);
            if (!node.isTextual()) {
                error(item, "must be a string");
                continue;
            }
            String s = storable(item, node.textValue());
            if (s != null && (s = checkedText(item, s, StatementRules.MAX_POSITION)) != null) {
                result.add(s);
            }
        }
        return result.size() == value.size() ? result : null;
    }

    private void presence(JsonNode json, String field, StatementType type) {
        JsonNode value = json.get(field);
        boolean present = value != null && !value.isNull();
        StatementType.Presence presence = type.presence(field);
        if (presence == StatementType.Presence.REQUIRED && !present) {
            error(field, "is required for type " + type);
        } else if (presence == StatementType.Presence.FORBIDDEN && present) {
            error(field, "is not allowed for type " + type);
        }
    }
}
