package org.parley.status.webhooks;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.parley.contract.FieldError;
import org.parley.status.ParleyConfig;
import org.parley.support.http.BearerTokenRequired;
import org.parley.support.http.Problem;
import org.parley.support.http.ProblemException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.panache.common.Sort;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Operators register, list, disable, enable and rotate webhook endpoints, and look at and repeat deliveries. */
@Path("/admin/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@BearerTokenRequired
@Tag(name = "Admin")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = "No bearer token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not an admin token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class WebhookResource {
    static final int MAX_DELIVERIES = 1000;
    static final int MAX_BODY = 64 * 1024;

    @Inject
    ParleyConfig config;
    @Inject
    DataSource dataSource;
    @Inject
    WebhookSender sender;
    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Register an endpoint: every later change that passes its filters is POSTed to it, signed "
            + "(Standard Webhooks); the answer holds its secret, shown only here")
    @APIResponse(responseCode = "201", description = "Registered; secret included",
            content = @Content(schema = @Schema(implementation = EndpointView.class)))
    @APIResponse(responseCode = "400", description = "A URL that is refused, or filters that are not codes or statuses",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RequestBody(content = @Content(schema = @Schema(implementation = EndpointRequest.class)))
    public Response registerWebhook(String body) {
        EndpointRequest request = parse(body);
        List<FieldError> errors = new ArrayList<>();
        try {
            EndpointUrls.check(request.url(), config.webhooks().allowHttp(), config.webhooks().allowPrivateAddresses());
        } catch (EndpointUrls.Refused e) {
            errors.add(new FieldError("url", e.getMessage()));
        }
        errors.addAll(request.filterErrors());
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The endpoint cannot be registered", errors);
        }
        WebhookEndpoint e = new WebhookEndpoint();
        e.id = UUID.randomUUID();
        e.url = request.url();
        e.parties = request.partyList().toArray(String[]::new);
        e.statuses = request.statusList().toArray(String[]::new);
        e.eventKinds = request.kindList().toArray(String[]::new);
        e.secret = Signatures.newSecret();
        e.enabled = true;
        e.createdAt = Instant.now();
        e.fromChangeSeq = ((Number) WebhookEndpoint.getEntityManager()
                .createNativeQuery("SELECT coalesce(max(change_seq), 0) FROM relationship_change").getSingleResult())
                .longValue();
        e.persist();
        return Response.created(URI.create("/admin/webhooks/" + e.id)).entity(EndpointView.of(e, true)).build();
    }

    @GET
    @Operation(summary = "Every registered endpoint, oldest first (without secrets)")
    @APIResponse(responseCode = "200", description = "The endpoints",
            content = @Content(schema = @Schema(implementation = EndpointView[].class)))
    public List<EndpointView> listWebhooks() {
        return WebhookEndpoint.<WebhookEndpoint>listAll(Sort.by("createdAt"))
                .stream().map(e -> EndpointView.of(e, false)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One endpoint: its filters, whether enabled, and why not")
    @APIResponse(responseCode = "200", description = "The endpoint", content = @Content(schema = @Schema(implementation = EndpointView.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public EndpointView getWebhook(@PathParam("id") String id) {
        return EndpointView.of(find(id), false);
    }

    @POST
    @Path("/{id}/disable")
    @Transactional
    @Operation(summary = "Stop sending to an endpoint; its pending deliveries wait until it is enabled again")
    @APIResponse(responseCode = "200", description = "Disabled", content = @Content(schema = @Schema(implementation = EndpointView.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public EndpointView disableWebhook(@PathParam("id") String id) {
        WebhookEndpoint e = find(id);
        if (e.enabled) {
            e.enabled = false;
            e.disabledReason = "Disabled by an operator at " + Instant.now();
        }
        return EndpointView.of(e, false);
    }

    @POST
    @Path("/{id}/enable")
    @Transactional
    @Operation(summary = "Send to an endpoint again (after a 410 or a failure of days was fixed); pending deliveries resume")
    @APIResponse(responseCode = "200", description = "Enabled", content = @Content(schema = @Schema(implementation = EndpointView.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public EndpointView enableWebhook(@PathParam("id") String id) {
        WebhookEndpoint e = find(id);
        e.enabled = true;
        e.disabledReason = null;
        sender.wake();
        return EndpointView.of(e, false);
    }

    @POST
    @Path("/{id}/rotate")
    @Transactional
    @Operation(summary = "Give an endpoint a new secret; the old one keeps signing beside it for the overlap "
            + "(parley.webhooks.rotation-overlap), so receivers can switch without losing a delivery")
    @APIResponse(responseCode = "200", description = "Rotated; the new secret included",
            content = @Content(schema = @Schema(implementation = EndpointView.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public EndpointView rotateWebhookSecret(@PathParam("id") String id) {
        WebhookEndpoint e = find(id);
        e.previousSecret = e.secret;
        e.previousSecretUntil = Instant.now().plus(config.webhooks().rotationOverlap());
        e.secret = Signatures.newSecret();
        return EndpointView.of(e, true);
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "An endpoint's deliveries, newest change first, optionally only those pending, succeeded or failed")
    @APIResponse(responseCode = "200", description = "The deliveries",
            content = @Content(schema = @Schema(implementation = DeliveryStore.Delivery[].class)))
    @APIResponse(responseCode = "400", description = "An unknown status or a limit out of range",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<DeliveryStore.Delivery> listWebhookDeliveries(@PathParam("id") String id, @QueryParam("status") String status,
            @QueryParam("limit") Integer limit) throws SQLException {
        UUID endpoint = exists(id);
        if (status != null && !DeliveryStore.STATES.contains(status)) {
            throw ProblemException.badRequest(List.of(new FieldError("status", "one of pending, succeeded, failed")));
        }
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > MAX_DELIVERIES) {
            throw ProblemException.badRequest(List.of(new FieldError("limit", "from 1 to " + MAX_DELIVERIES)));
        }
        try (Connection c = dataSource.getConnection()) {
            return DeliveryStore.list(c, endpoint, status, n);
        }
    }

    @POST
    @Path("/{id}/deliveries/{delivery}/redeliver")
    @Operation(summary = "Send a finished delivery again, with its original webhook-id and body")
    @APIResponse(responseCode = "202", description = "Due again")
    @APIResponse(responseCode = "404", description = "No such endpoint, or no finished delivery of it with that id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response redeliverWebhook(@PathParam("id") String id, @PathParam("delivery") String delivery) throws SQLException {
        UUID endpoint = exists(id);
        UUID deliveryId = uuid(delivery.startsWith("msg_") ? delivery.substring(4) : delivery, "delivery");
        int n;
        try (Connection c = dataSource.getConnection()) {
            n = DeliveryStore.redeliver(c, endpoint, deliveryId, null, null);
        }
        if (n == 0) {
            throw ProblemException.notFound("No finished delivery " + delivery + " of endpoint " + id);
        }
        sender.wake();
        return Response.accepted(Map.of("redelivered", n)).build();
    }

    @POST
    @Path("/{id}/replay")
    @Operation(summary = "Send again every finished delivery created in [from, to), with their original webhook-ids")
    @APIResponse(responseCode = "202", description = "How many deliveries are due again")
    @APIResponse(responseCode = "400", description = "from or to missing or not an instant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response replayWebhookDeliveries(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to)
            throws SQLException {
        UUID endpoint = exists(id);
        Instant start = instant(from, "from");
        Instant end = instant(to, "to");
        int n;
        try (Connection c = dataSource.getConnection()) {
            n = DeliveryStore.redeliver(c, endpoint, null, start, end);
        }
        sender.wake();
        return Response.accepted(Map.of("redelivered", n)).build();
    }

    /** Read here rather than by the framework, whose answer to a mistyped field is not a problem document. */
    private EndpointRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw ProblemException.badRequest("A JSON body with url is required", List.of(new FieldError("url", "is required")));
        }
        if (body.length() > MAX_BODY) {
            throw ProblemException.tooLarge("A registration is at most " + MAX_BODY + " characters");
        }
        try {
            EndpointRequest request = json.readValue(body, EndpointRequest.class);
            if (request == null) {
                throw ProblemException.badRequest("A JSON object with url is required", List.of(new FieldError("url", "is required")));
            }
            return request;
        } catch (JsonProcessingException e) {
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
                    ? String.valueOf(m.getPath().get(0).getFieldName()) : "body";
            throw ProblemException.badRequest("The body is not a registration: " + e.getOriginalMessage(),
                    List.of(new FieldError(field, "not of its type (url: string; parties, statuses, eventKinds: arrays of strings)")));
        }
    }

    private static Instant instant(String value, String name) {
        if (value == null) {
            throw ProblemException.badRequest(List.of(new FieldError(name, "is required (an ISO-8601 instant)")));
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(List.of(new FieldError(name, "not an ISO-8601 instant")));
        }
    }

    private static WebhookEndpoint find(String id) {
        WebhookEndpoint e = WebhookEndpoint.findById(uuid(id, "id"));
        if (e == null) {
            throw ProblemException.notFound("No webhook endpoint " + id);
        }
        return e;
    }

    private static UUID exists(String id) {
        UUID uuid = uuid(id, "id");
        if (WebhookEndpoint.count("id", uuid) == 0) {
            throw ProblemException.notFound("No webhook endpoint " + id);
        }
        return uuid;
    }

    private static UUID uuid(String value, String name) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("No " + (name.equals("id") ? "webhook endpoint " : "delivery ") + value);
        }
    }
}
