package org.parley.status.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The current invitation: the newest one issued in the relationship. */
public record Invitation(String from, String to, Instant issuedAt, UUID eventId, List<String> incentives) {
}
