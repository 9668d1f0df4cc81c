package org.parley.status.api;

import java.util.Collection;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.parley.status.polling.HistoryGap;
import org.parley.status.consumer.StatementConsumer;
import org.parley.support.http.BearerTokenRequired;
import org.parley.support.http.Problem;
import org.parley.support.http.ProblemException;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Partitions whose records were deleted before status-service stored them: held (and the service not ready)
 * until an operator decides that those statements are lost for good.
 */
@Path("/admin/history-gaps")
@Produces(MediaType.APPLICATION_JSON)
@BearerTokenRequired
@SecurityRequirement(name = "bearer")
@Tag(name = "Admin")
@APIResponse(responseCode = "401", description = "No bearer token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not an admin token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class HistoryGapResource {

    @Inject
    StatementConsumer consumer;

    @GET
    @Operation(summary = "The partitions held at a history gap: offsets deleted before they were stored")
    public Collection<HistoryGap> gaps() {
        return consumer.gaps().values();
    }

    @POST
    @Path("/acknowledge")
    @Operation(summary = "Accept the loss: every held partition goes on from the first offset its log still has")
    @APIResponse(responseCode = "200", description = "The gaps acknowledged")
    @APIResponse(responseCode = "409", description = "No partition is held at a gap",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Collection<HistoryGap> acknowledge() {
        Collection<HistoryGap> acknowledged = consumer.acknowledgeGaps();
        if (acknowledged.isEmpty()) {
            throw ProblemException.conflict("No partition is held at a history gap");
        }
        return acknowledged;
    }
}
