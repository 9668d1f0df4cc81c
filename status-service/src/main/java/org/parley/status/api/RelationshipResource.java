package org.parley.status.api;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.parley.status.feed.LongPoll;
import org.parley.status.domain.FoldKey;
import org.parley.contract.RelationshipId;
import org.parley.status.domain.Status;
import org.parley.status.domain.TimelineEntry;
import org.parley.status.persistence.RelationshipReads;
import org.parley.status.persistence.RelationshipReads.Head;
import org.parley.contract.FieldError;
import org.parley.support.http.Problem;
import org.parley.support.http.ProblemException;
import org.parley.status.view.RelationshipView;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** The projections dashboards poll. Reads only: the consumer writes. */
@Path("/relationships")
@SecurityRequirementsSet // reads need no token
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Relationships")
@APIResponse(responseCode = "400", description = "Invalid parameter",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The database is unreachable or reads are busy (no connection or statement_timeout); retry after Retry-After seconds",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class RelationshipResource {
    private static final CacheControl NO_CACHE = CacheControl.valueOf("no-cache");
    private static final MediaType JSON_UTF8 = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");
    private static final int MAX_LIMIT = 1000;

    @Inject
    RelationshipReads reads;

    @Inject
    RenderedViews views;

    @GET
    @Operation(summary = "Summaries of every known relationship, sorted by id")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY,
            implementation = RelationshipSummary.class)))
    public List<RelationshipSummary> list(
            @Parameter(description = "ISO 3166-1 alpha-3 code of one of the parties") @QueryParam("party") @CountryCode String party,
            @Parameter(description = "Only relationships in this status") @QueryParam("status") @StatusName String status,
            @Parameter(description = "At most this many (default 100, max 1000)") @QueryParam("limit") @DefaultValue("100")
            @Min(1) @Max(MAX_LIMIT) int limit,
            @Parameter(description = "Skip this many (default 0)") @QueryParam("offset") @DefaultValue("0")
            @Min(0) @Max(Integer.MAX_VALUE - MAX_LIMIT) int offset) {
        return reads.list(party == null ? null : CountryCode.Validator.normalise(party),
                status == null ? null : StatusName.Validator.normalise(status), limit, offset).stream()
                .map(r -> new RelationshipSummary(r.id(), List.of(r.partyA(), r.partyB()), Status.valueOf(r.status()),
                        r.eventCount(), r.lastEventAt() == null ? null : Instant.parse(r.lastEventAt())))
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
    public Response get(@PathParam("a") @CountryCode String a, @PathParam("b") @CountryCode String b,
            @Parameter(description = "An instant (ISO-8601 with offset): the projection as it stood then, from the "
                    + "statements that had occurred by then") @QueryParam("asOf") Instant asOf,
            HttpHeaders headers) {
        String id = relationshipId(a, b);
        Head head = reads.head(id).orElseThrow(() -> notFound(id));
        if (asOf != null) {
            // Another representation than the live one: no ETag, and not to be served from a cache as it.
            return Response.ok(RelationshipView.of(reads.asOf(id, asOf), null, null)).cacheControl(NO_CACHE).build();
        }
        // The hot path: one indexed read of (version, updatedAt); the state only when the cached view is stale.
        RenderedViews.Rendered view = views.current(id, head).orElseThrow(() -> notFound(id));
        if (ETags.matches(headers.getRequestHeader(HttpHeaders.IF_NONE_MATCH), view.etag())) {
            return notModified(view.etag());
        }
        return Response.ok(view.body(), JSON_UTF8).header(HttpHeaders.ETAG, view.etag()).cacheControl(NO_CACHE).build();
    }

    @GET
    @Path("/{a}/{b}/timeline")
    @Operation(summary = "The stored statements of the relationship in fold order, retracted ones marked, a page at a time",
            description = "Follow `next` (or the Link header) for the next page; absent on the last page. A page costs"
                    + " `limit` statements whatever the history's length: there is no total. The ETag identifies the"
                    + " page (its entries, their effects and its `next`), so If-None-Match answers 304 while that page"
                    + " is unchanged, even when statements were added to later pages.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = TimelineView.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match matched the current ETag")
    @APIResponse(responseCode = "404", description = "No statement about this relationship yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response timeline(@PathParam("a") @CountryCode String a, @PathParam("b") @CountryCode String b,
            @Parameter(description = "Entries per page (default 100, max 1000)") @QueryParam("limit") @DefaultValue("100")
            @Min(1) @Max(MAX_LIMIT) int limit,
            @Parameter(description = "Where the page starts: the previous page's next") @QueryParam("cursor") TimelineCursor cursor,
            HttpHeaders headers, @Context UriInfo uri) {
        String id = relationshipId(a, b);
        reads.head(id).orElseThrow(() -> notFound(id));
        List<TimelineEntry> page = new ArrayList<>(Math.min(limit, 128) + 1);
        reads.inFoldOrder(id, cursor == null ? null : cursor.after(), null, entry -> {
            page.add(entry);
            return page.size() <= limit;
        });
        TimelineCursor next = null;
        if (page.size() > limit) {
            page.remove(limit);
            next = new TimelineCursor(FoldKey.of(page.get(limit - 1).statement()));
        }
        // The page itself is the validator (no count of the whole history): what it shows, and where it goes on.
        String etag = TimelineView.etag(page, next == null ? null : next.encode());
        if (ETags.matches(headers.getRequestHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            return notModified(etag);
        }
        Response.ResponseBuilder response = Response.ok(TimelineView.of(id, page, next == null ? null : next.encode()))
                .header(HttpHeaders.ETAG, etag).cacheControl(NO_CACHE);
        if (next != null) {
            response.link(uri.getRequestUriBuilder().replaceQueryParam("cursor", next.encode())
                    .replaceQueryParam("limit", limit).build(), "next");
        }
        return response.build();
    }

    @GET
    @Path("/{a}/{b}/month-ends")
    @Operation(summary = "The relationship as it stood at the end of each month, as ?asOf answers for each",
            description = "One request for a series of month ends (the status board's trend): each month's state is"
                    + " taken at the first instant of the next month, the last one at `until` when that comes"
                    + " earlier. At most " + MonthEndsView.MAX_MONTHS + " months; a request folds at most the"
                    + " statements up to `until`, and about one fold-snapshot interval per month.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = MonthEndsView.class)))
    @APIResponse(responseCode = "404", description = "No statement about this relationship yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response monthEnds(@PathParam("a") @CountryCode String a, @PathParam("b") @CountryCode String b,
            @Parameter(description = "The first month, YYYY-MM (default: 35 months before until's month)",
                    schema = @Schema(type = SchemaType.STRING, pattern = "^\\d{4}-\\d{2}$"), example = "2023-01")
            @QueryParam("from") YearMonth from,
            @Parameter(description = "An instant (ISO-8601 with offset): the series ends in its month, the last state"
                    + " taken then (default: now)") @QueryParam("until") Instant until) {
        String id = relationshipId(a, b);
        reads.head(id).orElseThrow(() -> notFound(id));
        Instant end = until == null ? Instant.now() : until;
        YearMonth last = YearMonth.from(end.atOffset(ZoneOffset.UTC));
        YearMonth first = from == null ? last.minusMonths(35) : from;
        if (first.isAfter(last)) {
            throw ProblemException.badRequest(List.of(new FieldError("from", "must not be after until's month (" + last + ")")));
        }
        if (first.plusMonths(MonthEndsView.MAX_MONTHS).isBefore(last.plusMonths(1))) {
            throw ProblemException.badRequest(List.of(new FieldError("from",
                    "must be at most " + MonthEndsView.MAX_MONTHS + " months before until's month (" + last + ")")));
        }
        List<Instant> ends = MonthEndsView.ends(first, end);
        return Response.ok(MonthEndsView.of(id, first, ends, reads.atEnds(id, ends))).cacheControl(NO_CACHE).build();
    }

    /** The id of the relationship between two validated codes; 400 when they name the same country. */
    static String relationshipId(String a, String b) {
        String first = CountryCode.Validator.normalise(a);
        String second = CountryCode.Validator.normalise(b);
        if (first.equals(second)) {
            throw ProblemException.badRequest(List.of(new FieldError("b", "must differ from a")));
        }
        return RelationshipId.of(first, second);
    }

    private static Response notModified(String etag) {
        return Response.notModified().header(HttpHeaders.ETAG, etag).cacheControl(NO_CACHE).build();
    }

    private static ProblemException notFound(String id) {
        return ProblemException.notFound("No statement about relationship " + id + " has been recorded");
    }
}
