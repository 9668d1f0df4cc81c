package org.parley.status.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.parley.contract.FieldError;
import org.parley.status.feed.Subscribers;
import org.parley.status.persistence.ChangeFeed.Filter;
import org.parley.support.http.ProblemException;

import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
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
    @Inject
    Subscribers subscribers;

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @NonBlocking
    @Operation(summary = "Summaries of relationships as they change (events named summary, id = change number)")
    @APIResponse(responseCode = "200", description = "text/event-stream of summary events and heartbeat comments")
    @APIResponse(responseCode = "429", description = "This client holds as many streams and long-polls as one client may (Retry-After)")
    @APIResponse(responseCode = "503", description = "Too many open streams and long-polls on this instance (Retry-After)")
    public void all(@Parameter(description = "Only relationships with this party") @QueryParam("party") @CountryCode String party,
            @Parameter(description = "Only changes into this status") @QueryParam("status") @StatusName String status,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink, @Context Sse sse,
            @Context HttpServerRequest request, @Context HttpServerResponse response) {
        Long from = lastEventId(lastEventId);
        subscribers.open(request, sink, sse, response::reset, new Filter(null, party == null ? null : CountryCode.Validator.normalise(party),
                status == null ? null : StatusName.Validator.normalise(status)), false, from);
    }

    @GET
    @Path("/{a}/{b}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @NonBlocking
    @Operation(summary = "The relationship's projection now (unless Last-Event-ID is current) and at every change "
            + "(events named relationship, id = change number)")
    @APIResponse(responseCode = "200", description = "text/event-stream of relationship events and heartbeat comments")
    @APIResponse(responseCode = "429", description = "This client holds as many streams and long-polls as one client may (Retry-After)")
    @APIResponse(responseCode = "503", description = "Too many open streams and long-polls on this instance (Retry-After)")
    public void one(@PathParam("a") @CountryCode String a, @PathParam("b") @CountryCode String b,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink, @Context Sse sse,
            @Context HttpServerRequest request, @Context HttpServerResponse response) {
        Long from = lastEventId(lastEventId);
        // Without Last-Event-ID the stream opens with the current projection (-1: rows never numbered too).
        subscribers.open(request, sink, sse, response::reset, new Filter(RelationshipResource.relationshipId(a, b), null, null), true, from == null ? -1 : from);
    }

    private static Long lastEventId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest(
                List.of(new FieldError("Last-Event-ID", "must be the id of an event of this API")));
    }
}
