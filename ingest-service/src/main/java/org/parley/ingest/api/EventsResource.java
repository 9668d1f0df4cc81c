package org.parley.ingest.api;

import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.parley.contract.FieldError;
import org.parley.contract.Statement;
import org.parley.contract.StatementRules;
import org.parley.ingest.kafka.PublishFailedException;
import org.parley.ingest.kafka.StatementPublisher;
import org.parley.ingest.kafka.StatementPublisher.Ack;
import org.parley.ingest.security.ClientScope;
import org.parley.support.http.ProblemException;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;

@Path("/events")
@Authenticated
@Tag(name = "events", description = "Diplomatic statements, published durably onto Kafka")
@SecurityRequirement(name = "bearer")
public class EventsResource {
    static final int MAX_EVENT_BYTES = 64 * 1024;
    static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;

    private static final String EXAMPLE = """
            {"eventId": "6f1c2a8e-3b7d-4e51-9a0c-2d4e8f6a1b01", "type": "INVITATION_ISSUED",
             "source": "USA", "target": "PRK", "occurredAt": "2025-10-24T03:00:00Z",
             "speaker": "Donald Trump", "quote": "I would love to meet him."}""";

    /** Where an accepted event is: its position on the topic, for the client's records. */
    public record Accepted(UUID eventId, String relationshipId, int partition, long offset) {
        static Accepted of(Statement statement, Ack ack) {
            return new Accepted(statement.eventId(), statement.relationshipId(), ack.partition(), ack.offset());
        }
    }

    private final Clock clock = Clock.systemUTC();

    @Inject
    StatementPublisher publisher;
    @Inject
    JsonWebToken token;

    // On the event loop: publish() never blocks (it hands the rare waiting case to a worker itself) and the
    // answer is completed from the producer's callback, so a request needs no thread hop. A byte[] body is
    // already buffered by then (a large one is read on a worker); a typed result lets the writer be chosen once.
    @POST
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish one statement", description = "202 only once the broker has acknowledged it "
            + "(acks=all). eventId is the idempotency key: re-posting is safe. When absent it is derived from the content, "
            + "so the same body posted again gets the same eventId and counts once.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Statement.class), examples = @ExampleObject(name = "invitation", value = EXAMPLE)))
    @APIResponse(responseCode = "202", description = "Durable on Kafka",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class)))
    @APIResponse(responseCode = "400", description = "Invalid JSON or a broken rule; errors names each field")
    @APIResponse(responseCode = "401", description = "Missing bearer token, or one that does not verify (signature, expiry, issuer)")
    @APIResponse(responseCode = "403", description = "The token does not allow it: role post (retract or editor for a "
            + "retraction) and a relationship with one of the parties of its parties claim; detail names the rule")
    @APIResponse(responseCode = "413", description = "Body over 64 KiB")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @APIResponse(responseCode = "503", description = "The broker did not acknowledge in time; eventIds names the event: retry after Retry-After seconds, with the same body")
    @ResponseStatus(202)
    public CompletionStage<Accepted> post(@Context HttpHeaders headers, byte[] body) {
        requireContentType(headers);
        StatementRules.Result result = StatementRules.request(JsonBody.read(body, MAX_EVENT_BYTES, "an event"), clock.instant());
        if (!result.valid()) {
            throw invalid(result.errors());
        }
        Statement statement = result.statement();
        ClientScope scope = ClientScope.of(token);
        scope.check(statement);
        return publisher.publish(statement, scope.poster()).handle((ack, error) -> {
            if (error != null) {
                throw PublishFailedException.concerning(error, List.of(statement.eventId()));
            }
            return Accepted.of(statement, ack);
        });
    }

    @POST
    @Path("/batch")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish up to 1,000 statements, all or nothing", description = "One invalid item rejects the "
            + "whole batch (400 naming each bad index and field). Otherwise all are published in one Kafka transaction, "
            + "so read_committed consumers see all of them or none. The answer has one result per item, in order.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = Statement.class, maxItems = StatementRules.MAX_BATCH)))
    @APIResponse(responseCode = "202", description = "All durable on Kafka, committed together",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = Accepted.class)))
    @APIResponse(responseCode = "400", description = "Invalid JSON, or a broken rule in some item: nothing was published")
    @APIResponse(responseCode = "401", description = "Missing bearer token, or one that does not verify (signature, expiry, issuer)")
    @APIResponse(responseCode = "403", description = "The token does not allow some item (roles, parties); detail names "
            + "the item and the rule; nothing was published")
    @APIResponse(responseCode = "413", description = "Body over 4 MiB, or more than 1,000 items (reading stops at item 1,001)")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @APIResponse(responseCode = "503", description = "The transaction was not committed by the batch deadline (aborted); "
            + "eventIds names every event: retry after Retry-After seconds with the same body")
    // Read and validated on a worker; the worker is then free: the answer comes when the transaction commits or
    // its deadline passes, whichever is first.
    public CompletionStage<Response> postBatch(@Context HttpHeaders headers, InputStream body) {
        requireContentType(headers);
        StatementRules.BatchResult result = StatementRules.requestBatch(
                JsonBody.readBatch(body, MAX_BATCH_BYTES, StatementRules.MAX_BATCH), clock.instant());
        if (!result.valid()) {
            throw invalid(result.errors());
        }
        List<Statement> statements = result.statements();
        ClientScope scope = ClientScope.of(token);
        scope.checkAll(statements);
        List<UUID> eventIds = statements.stream().map(Statement::eventId).toList();
        return publisher.publishAll(statements, scope.poster()).handle((acks, error) -> {
            if (error != null) {
                throw PublishFailedException.concerning(error, eventIds);
            }
            List<Accepted> accepted = new ArrayList<>(statements.size());
            for (int i = 0; i < statements.size(); i++) {
                accepted.add(Accepted.of(statements.get(i), acks.get(i)));
            }
            return Response.accepted(accepted).build();
        });
    }

    private static ProblemException invalid(List<FieldError> errors) {
        return ProblemException.badRequest(errors.size() == 1 ? "1 rule of the event contract is broken"
                : errors.size() + " rules of the event contract are broken", errors);
    }

    /** @Consumes lets a request without any Content-Type through; a body of unknown type is refused too. */
    private static void requireContentType(HttpHeaders headers) {
        if (headers.getMediaType() == null) {
            throw new NotSupportedException();
        }
    }
}
