package org.parley.status.api;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.parley.status.replay.ReplayCoordinator;
import org.parley.status.replay.ReplayStatus;
import org.parley.support.http.BearerTokenRequired;
import org.parley.support.http.Problem;
import org.parley.support.http.ProblemException;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Operators' calls: rebuild every projection from the topic beside the live ones, then switch. */
@Path("/admin/replay")
@Produces(MediaType.APPLICATION_JSON)
@BearerTokenRequired
@Tag(name = "Admin")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "No bearer token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not an admin token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class AdminResource {

    @Inject
    ReplayCoordinator replays;

    @POST
    @Operation(summary = "Start a replay: a fresh generation of every projection is built from offset 0 while the "
            + "live one serves, then switched into place once caught up")
    @APIResponse(responseCode = "202", description = "Started; the replay's state", content = @Content(schema = @Schema(implementation = ReplayStatus.class)))
    @APIResponse(responseCode = "409", description = "A replay is running",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response start() {
        try {
            return Response.accepted(replays.start()).build();
        } catch (ReplayCoordinator.AlreadyRunning e) {
            throw ProblemException.conflict("A replay is already running: " + e.getMessage());
        }
    }

    @DELETE
    @Operation(summary = "Cancel the running replay: its runner stops wherever it runs and its next tables are dropped; "
            + "the live generation is untouched")
    @APIResponse(responseCode = "200", description = "Cancelled; the replay's state", content = @Content(schema = @Schema(implementation = ReplayStatus.class)))
    @APIResponse(responseCode = "409", description = "No replay is running, or it is switching",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ReplayStatus cancel() {
        try {
            return replays.cancel();
        } catch (ReplayCoordinator.NothingToCancel e) {
            throw ProblemException.conflict("Nothing to cancel: " + e.getMessage());
        }
    }

    @GET
    @Operation(summary = "The current or last replay: state (NONE, RUNNING, SWITCHING, DONE, FAILED, CANCELLED), progress, rate, ETA")
    @APIResponse(responseCode = "200", description = "The replay's state", content = @Content(schema = @Schema(implementation = ReplayStatus.class)))
    public ReplayStatus status() {
        return replays.status();
    }
}
