package org.parley.status.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An endpoint as the admin API shows it; secret only in the answers to registration and rotation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointView(UUID id, String url, List<String> parties, List<String> statuses, List<String> eventKinds,
        boolean enabled,
        String disabledReason, Instant createdAt, Instant lastSuccessAt, Instant previousSecretValidUntil,
        String secret) {

    static EndpointView of(WebhookEndpoint e, boolean withSecret) {
        return new EndpointView(e.id, e.url, e.partyList(), e.statusList(), e.eventKindList(), e.enabled, e.disabledReason, e.createdAt,
                e.lastSuccessAt, e.previousSecret == null ? null : e.previousSecretUntil, withSecret ? e.secret : null);
    }
}
