package org.parley.status.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The current invitation: the newest one issued in the relationship. It stays as history once answered;
 * the status says whether it is still open. incentives: distinct by normalised text, first wording kept.
 */
public record Invitation(String from, String to, Instant issuedAt, UUID eventId, List<String> incentives) {
    public Invitation {
        incentives = incentives == null ? List.of() : List.copyOf(incentives);
    }
}
