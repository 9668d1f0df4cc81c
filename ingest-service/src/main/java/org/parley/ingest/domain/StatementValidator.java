package org.parley.ingest.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a parsed JSON body (Jackson's untyped form: Map, List, String, Number, Boolean, null) against
 * every rule of the contract, and collects all broken rules rather than stopping at the first, so a
 * newsroom sees everything to fix in one answer. Pure: time and new ids come from the constructor.
 */
public final class StatementValidator {

    public static final int MAX_BATCH = 1000;
    public static final int MAX_SPEAKER = 200;
    public static final int MAX_TEXT = 2000;
    public static final int MAX_URL = 2048;
    public static final int MAX_POSITIONS = 20;
    public static final int MAX_POSITION = 500;
    public static final int MAX_LOCATION = 200;
    public static final Duration MAX_FUTURE = Duration.ofHours(24);

    private static final Set<String> COUNTRIES = Set.copyOf(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3));
    private static final Set<String> FIELDS = Set.of("eventId", "type", "source", "target", "occurredAt", "speaker",
            "summary", "quote", "sourceUrl", "conditions", "incentives", "retracts", "meetingAt", "location");
    private static final String TYPES = Arrays.stream(EventType.values()).map(Enum::name).collect(Collectors.joining(", "));
    private static final Pattern UUID_FORM = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    // RFC 3339 date-time, which is what the schema's "format": "date-time" means; Java alone is more lenient.
    // The groups are its fields, so no (much slower) DateTimeFormatter is needed to read them.
    private static final Pattern DATE_TIME_FORM = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})[Tt](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?(?:[Zz]|([+-]\\d{2}):(\\d{2}))");
    private static final Pattern COUNTRY_FORM = Pattern.compile("[A-Z]{3}");

    public record Result(StatementEvent event, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    public record BatchResult(List<StatementEvent> events, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    private final Clock clock;
    private final Supplier<UUID> newIds;

    public StatementValidator(Clock clock, Supplier<UUID> newIds) {
        this.clock = clock;
        this.newIds = newIds;
    }

    /** One event; on success the result carries it, with an eventId assigned if none was sent. */
    public Result validate(Object json) {
        return new Check("", clock.instant()).run(json);
    }

    /** A batch: all items valid, or no events and the errors of every item, fields prefixed with [index]. */
    public BatchResult validateBatch(Object json) {
        if (!(json instanceof List<?> items)) {
            return new BatchResult(List.of(), List.of(new FieldError(null, "expected a JSON array of events")));
        }
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            return new BatchResult(List.of(), List.of(new FieldError(null,
                    "a batch holds 1 to " + MAX_BATCH + " events, this one has " + items.size())));
        }
        Instant now = clock.instant();
        List<StatementEvent> events = new ArrayList<>(items.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Result result = new Check("[" + i + "]", now).run(items.get(i));
            errors.addAll(result.errors());
            events.add(result.event());
        }
        return errors.isEmpty() ? new BatchResult(List.copyOf(events), List.of()) : new BatchResult(List.of(), List.copyOf(errors));
    }

    /** One pass over one item; {@code prefix} is "" for a single event and "[i]" inside a batch. */
    private final class Check {
        private final String prefix;
        private final Instant now;
        private final List<FieldError> errors = new ArrayList<>();

        Check(String prefix, Instant now) {
            this.prefix = prefix;
            this.now = now;
        }

        Result run(Object json) {
            if (!(json instanceof Map<?, ?> map)) {
                errors.add(new FieldError(prefix.isEmpty() ? null : prefix, "expected a JSON object (one event)"));
                return new Result(null, List.copyOf(errors));
            }
            for (Object key : map.keySet()) {
                if ("recordedAt".equals(key)) {
                    error("recordedAt", "is set by the server and must not be sent");
                } else if (!FIELDS.contains(key)) {
                    error(String.valueOf(key), "unknown field");
                }
            }

            UUID eventId = uuid(map, "eventId");
            EventType type = type(map);
            String source = country(map, "source");
            String target = country(map, "target");
            if (source != null && source.equals(target)) {
                error("target", "must differ from source");
            }
            Instant occurredAt = instant(map, "occurredAt", true);
            if (occurredAt != null && occurredAt.isAfter(now.plus(MAX_FUTURE))) {
                error("occurredAt", "must not be more than 24 hours in the future");
            }
            String speaker = text(map, "speaker", MAX_SPEAKER);
            String summary = text(map, "summary", MAX_TEXT);
            String quote = text(map, "quote", MAX_TEXT);
            String sourceUrl = url(map);

            List<String> conditions = positions(map, "conditions");
            List<String> incentives = positions(map, "incentives");
            UUID retracts = uuid(map, "retracts");
            if (retracts != null && retracts.equals(eventId)) {
                error("retracts", "must name an earlier event, not this one");
            }
            Instant meetingAt = instant(map, "meetingAt", false);
            String location = text(map, "location", MAX_LOCATION);
            if (location != null && location.isBlank()) {
                error("location", "must not be blank");
            }
            if (type != null) {
                presence(map, "conditions", type.conditions, type);
                presence(map, "incentives", type.incentives, type);
                presence(map, "retracts", type.retracts, type);
                presence(map, "meetingAt", type.meeting, type);
                presence(map, "location", type.meeting, type);
            }

            if (!errors.isEmpty()) {
                return new Result(null, List.copyOf(errors));
            }
            return new Result(new StatementEvent(eventId != null ? eventId : newIds.get(), type, source, target,
                    occurredAt, speaker, summary, quote, sourceUrl, conditions, incentives, retracts, meetingAt, location),
                    List.of());
        }

        private void error(String field, String message) {
            errors.add(new FieldError(prefix.isEmpty() ? field : prefix + "." + field, message));
        }

        /** The value of an optional field; JSON null counts as absent. */
        private Object value(Map<?, ?> map, String field) {
            return map.get(field);
        }

        private String string(Map<?, ?> map, String field, boolean required) {
            Object value = value(map, field);
            if (value == null) {
                if (required) {
                    error(field, "is required");
                }
                return null;
            }
            if (!(value instanceof String s)) {
                error(field, "must be a string");
                return null;
            }
            return s;
        }

        private UUID uuid(Map<?, ?> map, String field) {
            String s = string(map, field, false);
            if (s == null) {
                return null;
            }
            if (!UUID_FORM.matcher(s).matches()) {
                error(field, "must be a UUID such as 6f1c2a8e-3b7d-4e51-9a0c-2d4e8f6a1b01");
                return null;
            }
            return UUID.fromString(s);
        }

        private EventType type(Map<?, ?> map) {
            String s = string(map, "type", true);
            if (s == null) {
                return null;
            }
            for (EventType type : EventType.values()) {
                if (type.name().equals(s)) {
                    return type;
                }
            }
            error("type", "must be one of " + TYPES);
            return null;
        }

        private String country(Map<?, ?> map, String field) {
            String s = string(map, field, true);
            if (s == null) {
                return null;
            }
            if (!COUNTRY_FORM.matcher(s).matches()) {
                error(field, "must be an ISO 3166-1 alpha-3 code in upper case, such as USA");
                return null;
            }
            if (!COUNTRIES.contains(s)) {
                error(field, "is not an ISO 3166-1 alpha-3 country code");
                return null;
            }
            return s;
        }

        private Instant instant(Map<?, ?> map, String field, boolean required) {
            String s = string(map, field, required);
            if (s == null) {
                return null;
            }
            Matcher m = DATE_TIME_FORM.matcher(s);
            if (m.matches()) {
                try {
                    return dateTime(m).toInstant();
                } catch (DateTimeException e) {
                    // falls through: well-formed but not a real date or offset, e.g. 2025-02-30
                }
            }
            error(field, "must be an ISO-8601 date-time with offset, such as 2025-10-24T03:00:00Z");
            return null;
        }

        private String text(Map<?, ?> map, String field, int max) {
            String s = string(map, field, false);
            if (s != null && length(s) > max) {
                error(field, "must be at most " + max + " characters");
                return null;
            }
            return s;
        }

        private String url(Map<?, ?> map) {
            String s = string(map, "sourceUrl", false);
            if (s == null) {
                return null;
            }
            if (length(s) > MAX_URL) {
                error("sourceUrl", "must be at most " + MAX_URL + " characters");
                return null;
            }
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
            error("sourceUrl", "must be an absolute http or https URL");
            return null;
        }

        private List<String> positions(Map<?, ?> map, String field) {
            Object value = value(map, field);
            if (value == null) {
                return null;
            }
            if (!(value instanceof List<?> items)) {
                error(field, "must be an array of 1 to " + MAX_POSITIONS + " strings");
                return null;
            }
            if (items.isEmpty() || items.size() > MAX_POSITIONS) {
                error(field, "must hold 1 to " + MAX_POSITIONS + " items, not " + items.size());
                return null;
            }
            List<String> result = new ArrayList<>(items.size());
            boolean ok = true;
            for (int i = 0; i < items.size(); i++) {
                String item = field + "[" + i + "]";
                if (!(items.get(i) instanceof String s)) {
                    error(item, "must be a string");
                    ok = false;
                } else if (s.isBlank()) {
                    error(item, "must not be blank");
                    ok = false;
                } else if (length(s) > MAX_POSITION) {
                    error(item, "must be at most " + MAX_POSITION + " characters");
                    ok = false;
                } else {
                    result.add(s);
                }
            }
            return ok ? result : null;
        }

        private void presence(Map<?, ?> map, String field, EventType.Presence presence, EventType type) {
            boolean present = value(map, field) != null;
            if (presence == EventType.Presence.REQUIRED && !present) {
                error(field, "is required for type " + type);
            } else if (presence == EventType.Presence.FORBIDDEN && present) {
                error(field, "is not allowed for type " + type);
            }
        }
    }

    /** The matched date-time; a field out of range (2025-02-30, 24:00, +19:00) throws DateTimeException. */
    private static OffsetDateTime dateTime(Matcher m) {
        String fraction = m.group(7);
        int nanos = fraction == null ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
        String hours = m.group(8);
        ZoneOffset offset = hours == null ? ZoneOffset.UTC
                : ZoneOffset.ofHoursMinutes(Integer.parseInt(hours), (hours.charAt(0) == '-' ? -1 : 1) * number(m, 9));
        return OffsetDateTime.of(number(m, 1), number(m, 2), number(m, 3), number(m, 4), number(m, 5), number(m, 6),
                nanos, offset);
    }

    private static int number(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    /** Length as JSON Schema's maxLength counts it: in code points, not UTF-16 units. */
    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
