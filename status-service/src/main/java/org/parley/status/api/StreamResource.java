package org.parley.status.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.parley.contract.FieldError;
import org.parley.contract.RelationshipId;
import org.parley.status.domain.Status;
import org.parley.status.persistence.ChangeFeed.Filter;
import org.parley.support.http.ProblemException;

import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * Server-sent events: every projection change, from whichever instance wrote it, as it commits. Each event's
 * id is the change's number; a client that reconnects with Last-Event-ID first receives every matching
 * projection that changed after it (its current state), then the live changes.
 */
@Path("/relationships")
@Tag(name = "Relationships")
@SecurityRequirementsSet // streams need no token
public class StreamResource {
    private static final Set<String> ISO_ALPHA3 = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3);

    @Inject
    Streams streams;

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @NonBlocking
    @Operation(summary = "Summaries of relationships as they change (events named summary, id = change number)")
    @APIResponse(responseCode = "200", description = "text/event-stream of summary events and heartbeat comments")
    @APIResponse(responseCode = "503", description = "Too many open streams on this instance")
    public void all(@Parameter(description = "Only relationships with this party") @QueryParam("party") String party,
            @Parameter(description = "Only changes into this status") @QueryParam("status") String status,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink, @Context Sse sse,
            @Context HttpServerResponse response) {
        List<FieldError> errors = new ArrayList<>();
        String partyCode = party == null ? null : code("party", party, errors);
        String wanted = status == null ? null : status(status, errors);
        Long from = lastEventId(lastEventId, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors);
        }
        open(sink, sse, response, new Filter(null, partyCode, wanted), false, from);
    }

    @GET
    @Path("/{a}/{b}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @NonBlocking
    @Operation(summary = "The relationship's projection now (unless Last-Event-ID is current) and at every change "
            + "(events named relationship, id = change number)")
    @APIResponse(responseCode = "200", description = "text/event-stream of relationship events and heartbeat comments")
    @APIResponse(responseCode = "503", description = "Too many open streams on this instance")
    public void one(@PathParam("a") String a, @PathParam("b") String b,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink, @Context Sse sse,
            @Context HttpServerResponse response) {
        List<FieldError> errors = new ArrayList<>();
        String first = code("a", a, errors), second = code("b", b, errors);
        if (first != null && first.equals(second)) {
            errors.add(new FieldError("b", "must differ from a"));
        }
        Long from = lastEventId(lastEventId, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors);
        }
        // Without Last-Event-ID the stream opens with the current projection (-1: rows never numbered too).
        open(sink, sse, response, new Filter(RelationshipId.of(first, second), null, null), true, from == null ? -1 : from);
    }

    private void open(SseEventSink sink, Sse sse, HttpServerResponse response, Filter filter, boolean detail, Long from) {
        if (!streams.reserve()) {
            throw new WebApplicationException("This instance serves as many streams as it may; retry later or elsewhere",
                    Response.status(503).header("Retry-After", "5").build());
        }
        try {
            boolean catchUp = from != null;
            new StreamClient(streams, sink, sse, response::reset, filter, detail,
                    catchUp ? from : streams.now(), catchUp).start();
        } catch (RuntimeException e) {
            streams.release();
            throw e;
        }
    }

    private static Long lastEventId(String value, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError("Last-Event-ID", "must be the id of an event of this API"));
        return null;
    }

    private static String code(String field, String value, List<FieldError> errors) {
        String upper = value.toUpperCase(Locale.ROOT);
        if (!upper.matches("[A-Z]{3}") || !ISO_ALPHA3.contains(upper)) {
            errors.add(new FieldError(field, "must be an ISO 3166-1 alpha-3 country code"));
            return null;
        }
        return upper;
    }

    private static String status(String value, List<FieldError> errors) {
        try {
            return Status.valueOf(value.toUpperCase(Locale.ROOT)).name();
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("status", "must be one of " + List.of(Status.values())));
            return null;
        }
    }
}
