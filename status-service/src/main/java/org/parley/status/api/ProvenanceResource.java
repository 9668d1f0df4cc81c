package org.parley.status.api;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.parley.status.domain.FoldKey;
import org.parley.status.domain.Provenance;
import org.parley.status.domain.TimelineEntry;
import org.parley.status.persistence.HistoryReader;
import org.parley.status.persistence.RelationshipReads;
import org.parley.support.http.Problem;
import org.parley.support.http.ProblemException;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Why a relationship is in its state: the stored history folded again in fold order, a chunk at a time, by the
 * same fold with its provenance recorded (domain/Provenance).
 */
@Path("/relationships")
@SecurityRequirementsSet // reads need no token
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Relationships")
public class ProvenanceResource {
    private static final CacheControl NO_CACHE = CacheControl.valueOf("no-cache");

    @Inject
    RelationshipReads reads;

    @Inject
    HistoryReader history;

    @GET
    @Path("/{a}/{b}/provenance")
    @Operation(summary = "Why each field of the projection holds its value: the statements behind it and the fold rule",
            description = "For status, invitation, awaiting (awaitingResponseFrom and silentSince), meeting, lastEvent "
                    + "and each standing condition and incentive: the statements its value rests on (eventId, type, "
                    + "occurredAt, source, speaker, sourceUrl) and the rule that set it; folding only those statements "
                    + "gives the value again. Also the newest statements a later one overrode and those a correction "
                    + "retracted, with their counts.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProvenanceView.class)))
    @APIResponse(responseCode = "400", description = "Invalid parameter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No statement about this relationship yet",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The database is unreachable; retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response provenance(@PathParam("a") @CountryCode String a, @PathParam("b") @CountryCode String b,
            @Parameter(description = "An instant (ISO-8601 with offset): why the projection stood as it did then, from "
                    + "the statements that had occurred by then (corrections always count)") @QueryParam("asOf") Instant asOf) {
        String id = RelationshipResource.relationshipId(a, b);
        reads.head(id).orElseThrow(() -> ProblemException.notFound("No statement about relationship " + id
                + " has been recorded"));
        Set<UUID> retracted = history.retractedIds(id);
        Provenance provenance = new Provenance(id);
        FoldKey after = null;
        while (true) {
            List<TimelineEntry> chunk = history.chunk(id, after, retracted);
            for (TimelineEntry entry : chunk) {
                if (asOf != null && entry.statement().occurredAt().isAfter(asOf)) {
                    return answer(provenance, asOf);
                }
                provenance.accept(entry);
            }
            if (chunk.size() < HistoryReader.CHUNK) {
                return answer(provenance, asOf);
            }
            after = FoldKey.of(chunk.get(chunk.size() - 1).statement());
        }
    }

    private static Response answer(Provenance provenance, Instant asOf) {
        return Response.ok(ProvenanceView.of(provenance.explain(), asOf)).cacheControl(NO_CACHE).build();
    }
}
