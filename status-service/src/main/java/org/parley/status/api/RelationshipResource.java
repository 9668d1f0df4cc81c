package org.parley.status.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.parley.status.domain.Relationship;
import org.parley.status.domain.RelationshipFold;
import org.parley.status.domain.RelationshipId;
import org.parley.status.domain.Status;
import org.parley.status.persistence.RelationshipEntity;
import org.parley.status.persistence.StatementEntity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.panache.common.Sort;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The projections dashboards poll. Reads only: the consumer writes. */
@Path("/relationships")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Relationships")
@APIResponse(responseCode = "400", description = "Invalid parameter",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class RelationshipResource {

    private static final Set<String> ISO_ALPHA3 = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3);
    private static final CacheControl NO_CACHE = CacheControl.valueOf("no-cache");
    private static final int MAX_LIMIT = 1000;
    private static final MediaType JSON_UTF8 = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");

    /** Rendered live views kept at most; past it the cache starts over (a miss only costs a render). */
    private static final int MAX_RENDERED = 2048;

    @Inject
    ObjectMapper json;

    @Inject
    DataSource dataSource;

    /**
     * The last rendered live view per relationship id. Only ever served after the row's (version, updatedAt)
     * has been read from the database in the same request and found equal, so it can never be stale: a
     * write by any instance moves the version in the database.
     */
    private final Map<String, Rendered> rendered = new ConcurrentHashMap<>();

    private record Rendered(long version, Instant updatedAt, byte[] body) {
    }

    private record Head(long version, Instant updatedAt) {
    }

    @GET
    @Operation(summary = "Summaries of every known relationship, sorted by id")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = RelationshipSummary.class)))
    public List<RelationshipSummary> list(
            @Parameter(description = "ISO 3166-1 alpha-3 code of one of the parties") @QueryParam("party") String party,
            @Parameter(description = "Only relationships in this status") @QueryParam("status") String status,
            @Parameter(description = "At most this many (default 100, max 1000)") @QueryParam("limit") String limit,
            @Parameter(description = "Skip this many (default 0)") @QueryParam("offset") String offset) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String partyCode = party == null ? null : code("party", party, errors);
        Status wanted = status == null ? null : status(status, errors);
        int max = integer("limit", limit, 100, 1, MAX_LIMIT, errors);
        int skip = integer("offset", offset, 0, 0, Integer.MAX_VALUE - MAX_LIMIT, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors);
        }

        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (partyCode != null) {
            where.add("(partyA = :party or partyB = :party)");
            params.put("party", partyCode);
        }
        if (wanted != null) {
            where.add("status = :status");
            params.put("status", wanted.name());
        }
        return RelationshipEntity.<RelationshipEntity>find(String.join(" and ", where), Sort.by("id"), params)
                .range(skip, skip + max - 1)
                .stream()
                .map(r -> new RelationshipSummary(r.id, List.of(r.partyA, r.partyB), Status.valueOf(r.status),
                        r.eventCount, r.lastEventAt == null ? null : Instant.parse(r.lastEventAt)))
                .toList();
    }

    @GET
    @Path("/{a}/{b}")
    @LongPoll
    @Operation(summary = "The projection of one relationship (parties in either order, any case)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RelationshipView.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match matched the current ETag")
    @APIResponse(responseCode = "404", description = "No statement about this relationship yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("a") String a, @PathParam("b") String b,
            @Parameter(description = "An instant (ISO-8601 with offset): the projection as it stood then, from the "
                    + "statements that had occurred by then") @QueryParam("asOf") String asOf,
            HttpHeaders headers) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String id = relationshipId(a, b, errors);
        Instant at = asOf == null ? null : instant("asOf", asOf, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors);
        }
        if (at != null) {
            found(id);
            Relationship then = RelationshipFold.foldAsOf(id, StatementEntity.of(id), at);
            // Another representation than the live one: no ETag, and not to be served from a cache as it.
            return Response.ok(RelationshipView.of(then, null, null)).cacheControl(NO_CACHE).build();
        }
        return live(id, headers.getRequestHeader(HttpHeaders.IF_NONE_MATCH));
    }

    /**
     * The live view, the hot path dashboards poll: plain JDBC in autocommit (no ORM session, no JTA), first
     * only the row's version and updatedAt (enough for a 304); the state is read and rendered only when the
     * rendered view cached for exactly that version is missing.
     */
    private Response live(String id, List<String> ifNoneMatch) {
        try (Connection c = dataSource.getConnection()) {
            Head head = head(c, id);
            if (head == null) {
                throw notFound(id);
            }
            String etag = ETags.of(Long.toString(head.version()));
            if (ETags.matches(ifNoneMatch, etag)) {
                return notModified(etag);
            }
            Rendered view = rendered.get(id);
            if (view == null || view.version() != head.version() || !view.updatedAt().equals(head.updatedAt())) {
                view = render(c, id);
                if (view == null) {
                    throw notFound(id);
                }
                if (rendered.size() >= MAX_RENDERED) {
                    rendered.clear();
                }
                rendered.put(id, view);
                etag = ETags.of(Long.toString(view.version()));
            }
            return Response.ok(view.body(), JSON_UTF8).header(HttpHeaders.ETAG, etag).cacheControl(NO_CACHE).build();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read relationship " + id, e);
        }
    }

    private static Head head(Connection c, String id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT version, updated_at FROM relationship WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? new Head(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant()) : null;
            }
        }
    }

    private Rendered render(Connection c, String id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT state::text, version, updated_at FROM relationship WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long version = rs.getLong(2);
                Instant updatedAt = rs.getObject(3, OffsetDateTime.class).toInstant();
                Relationship state = state(id, rs.getString(1));
                return new Rendered(version, updatedAt,
                        json.writeValueAsBytes(RelationshipView.of(state, version, updatedAt)));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render relationship " + id, e);
        }
    }

    @GET
    @Path("/{a}/{b}/timeline")
    @Operation(summary = "Every stored statement of the relationship in fold order, retracted ones marked")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TimelineView.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match matched the current ETag")
    @APIResponse(responseCode = "404", description = "No statement about this relationship yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response timeline(@PathParam("a") String a, @PathParam("b") String b, HttpHeaders headers) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String id = relationshipId(a, b, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors);
        }
        found(id);
        // Statements are only ever added, so their number identifies the timeline (the projection's version
        // does not: a repeated retraction changes the timeline, not the projection).
        String current = timelineETag(StatementEntity.countOf(id));
        if (ETags.matches(headers.getRequestHeader(HttpHeaders.IF_NONE_MATCH), current)) {
            return notModified(current);
        }
        var statements = StatementEntity.of(id);
        return Response.ok(TimelineView.of(id, RelationshipFold.timeline(statements)))
                .header(HttpHeaders.ETAG, timelineETag(statements.size())).cacheControl(NO_CACHE).build();
    }

    private static String timelineETag(long statements) {
        return ETags.of("t" + statements);
    }

    private static Response notModified(String etag) {
        return Response.notModified().header(HttpHeaders.ETAG, etag).cacheControl(NO_CACHE).build();
    }

    private static RelationshipEntity found(String id) {
        RelationshipEntity row = RelationshipEntity.findById(id);
        if (row == null) {
            throw notFound(id);
        }
        return row;
    }

    private static ProblemException notFound(String id) {
        return ProblemException.notFound("No statement about relationship " + id + " has been recorded");
    }

    private Relationship state(String id, String state) {
        try {
            return json.readValue(state, Relationship.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored state of " + id + " is unreadable", e);
        }
    }

    private static String relationshipId(String a, String b, List<Problem.FieldError> errors) {
        String first = code("a", a, errors);
        String second = code("b", b, errors);
        if (first != null && first.equals(second)) {
            errors.add(new Problem.FieldError("b", "must differ from a"));
        }
        return errors.isEmpty() ? RelationshipId.of(first, second) : null;
    }

    private static String code(String field, String value, List<Problem.FieldError> errors) {
        String upper = value.toUpperCase(Locale.ROOT);
        if (!upper.matches("[A-Z]{3}") || !ISO_ALPHA3.contains(upper)) {
            errors.add(new Problem.FieldError(field, "must be an ISO 3166-1 alpha-3 country code"));
            return null;
        }
        return upper;
    }

    private static Status status(String value, List<Problem.FieldError> errors) {
        try {
            return Status.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError("status", "must be one of " + List.of(Status.values())));
            return null;
        }
    }

    private static int integer(String field, String value, int byDefault, int min, int max,
            List<Problem.FieldError> errors) {
        if (value == null) {
            return byDefault;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new Problem.FieldError(field, "must be an integer from " + min + " to " + max));
        return byDefault;
    }

    private static Instant instant(String field, String value, List<Problem.FieldError> errors) {
        try {
            // an unencoded '+' of an offset arrives as a space
            return OffsetDateTime.parse(value.trim().replace(' ', '+'), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(field, "must be an ISO-8601 instant with offset, e.g. 2025-10-30T09:00:00Z"));
            return null;
        }
    }
}
