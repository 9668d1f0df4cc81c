package org.parley.status.api;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.parley.contract.EventCoding;
import org.parley.contract.FieldError;
import org.parley.contract.StatementJson;
import org.parley.status.domain.FoldKey;
import org.parley.status.domain.TimelineEntry;
import org.parley.status.persistence.HistoryReader;
import org.parley.status.persistence.RelationshipReads;
import org.parley.support.http.Problem;
import org.parley.support.http.ProblemException;

import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * A relationship's coded events for other desks and researchers: PLOVER records (JSON lines) or CSV with CAMEO
 * codes and Goldstein scores. Streamed in fold order a chunk at a time (HistoryReader), so memory holds one
 * chunk whatever the history's length; a response holds at most `limit` records and the next one resumes
 * with after=the last eventId. Only coded events in effect: NO_RESPONSE, corrections and the statements they
 * retract are left out.
 */
@Path("/relationships")
@SecurityRequirementsSet // reads need no token
@Tag(name = "Relationships")
@APIResponse(responseCode = "400", description = "Invalid parameter",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "No statement about this relationship yet",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "The database is unreachable; retry after Retry-After seconds",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class ExportResource {
    static final String JSONL = "application/x-ndjson";
    static final String CSV = "text/csv";
    static final int MAX_LIMIT = 1_000_000;
    private static final String DESCRIPTION = "Coded events in effect only, in fold order: NO_RESPONSE, corrections "
            + "and retracted statements are left out (docs/coding.md). At most `limit` records per response: to go on, "
            + "ask again with `after` set to the last record's eventId; a response with fewer records is the end.";

    @Inject
    RelationshipReads reads;

    @Inject
    HistoryReader history;

    @GET
    @Path("/{a}/{b}/statements.jsonl")
    @Produces(JSONL)
    @Operation(summary = "The relationship's statements as PLOVER event records, one JSON object per line",
            description = DESCRIPTION)
    @APIResponse(responseCode = "200", description = "PLOVER records, newline-delimited",
            content = @Content(mediaType = JSONL, schema = @Schema(implementation = PloverRecord.class)))
    public Response jsonl(@PathParam("a") @CountryCode String a, @PathParam("b") @CountryCode String b,
            @Parameter(description = "Resume after the statement with this eventId (the last one received)")
            @QueryParam("after") String after,
            @Parameter(description = "At most this many records (default and max 1000000)") @QueryParam("limit")
            @DefaultValue("1000000") @Min(1) @Max(MAX_LIMIT) int limit) {
        Export export = open(a, b, after, limit);
        StreamingOutput body = out -> export.write(out, null, (writer, entry, code) -> {
            writer.write(StatementJson.JSON.writeValueAsString(PloverRecord.of(entry.statement(), code)));
            writer.write('\n');
        });
        return Response.ok(body, JSONL + ";charset=UTF-8").build();
    }

    @GET
    @Path("/{a}/{b}/statements.csv")
    @Produces(CSV)
    @Operation(summary = "The relationship's statements as CSV with CAMEO codes and Goldstein scores",
            description = DESCRIPTION + " Columns: " + "eventId, date, occurredAt, source, target, type, cameoCode, "
                    + "goldstein, ploverEvent, ploverMode, ploverContext, speaker, sourceUrl, summary.")
    @APIResponse(responseCode = "200", description = "RFC 4180 CSV with a header row",
            content = @Content(mediaType = CSV, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING)))
    public Response csv(@PathParam("a") @CountryCode String a, @PathParam("b") @CountryCode String b,
            @Parameter(description = "Resume after the statement with this eventId (the last one received)")
            @QueryParam("after") String after,
            @Parameter(description = "At most this many rows (default and max 1000000)") @QueryParam("limit")
            @DefaultValue("1000000") @Min(1) @Max(MAX_LIMIT) int limit) {
        Export export = open(a, b, after, limit);
        StreamingOutput body = out -> export.write(out, CameoCsv.HEADER,
                (writer, entry, code) -> writer.write(CameoCsv.row(entry.statement(), code)));
        return Response.ok(body, CSV + ";charset=UTF-8;header=present").build();
    }

    /** Checks the request and reads the first chunk, so that a 404, 400 or 503 comes before any byte of the body. */
    private Export open(String a, String b, String after, int limit) {
        String id = RelationshipResource.relationshipId(a, b);
        reads.head(id).orElseThrow(() -> ProblemException.notFound("No statement about relationship " + id
                + " has been recorded"));
        FoldKey from = null;
        if (after != null) {
            Optional<UUID> eventId = uuid(after);
            from = eventId.flatMap(e -> history.position(id, e)).orElseThrow(() -> ProblemException.badRequest(
                    List.of(new FieldError("after", "must be the eventId of a statement of " + id))));
        }
        Set<UUID> retracted = history.retractedIds(id);
        return new Export(id, retracted, limit, history.chunk(id, from, retracted));
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @FunctionalInterface
    private interface Line {
        void write(Writer writer, TimelineEntry entry, EventCoding.Code code) throws IOException;
    }

    /** One response's walk through the history, from its first chunk on. */
    private final class Export {
        private final String id;
        private final Set<UUID> retracted;
        private final int limit;
        private List<TimelineEntry> chunk;

        Export(String id, Set<UUID> retracted, int limit, List<TimelineEntry> first) {
            this.id = id;
            this.retracted = retracted;
            this.limit = limit;
            this.chunk = first;
        }

        void write(OutputStream out, String header, Line line) throws IOException {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 16 * 1024);
            if (header != null) {
                writer.write(header);
            }
            int written = 0;
            while (true) {
                for (TimelineEntry entry : chunk) {
                    Optional<EventCoding.Code> code = entry.effect() == TimelineEntry.Effect.APPLIED
                            ? EventCoding.of(entry.statement()) : Optional.empty();
                    if (code.isPresent()) {
                        line.write(writer, entry, code.get());
                        if (++written == limit) {
                            writer.flush();
                            return;
                        }
                    }
                }
                if (chunk.size() < HistoryReader.CHUNK) {
                    writer.flush();
                    return;
                }
                FoldKey last = FoldKey.of(chunk.get(chunk.size() - 1).statement());
                chunk = history.chunk(id, last, retracted);
            }
        }
    }
}
