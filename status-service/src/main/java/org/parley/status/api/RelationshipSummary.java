package org.parley.status.api;

import java.time.Instant;
import java.util.List;

import org.parley.status.domain.Status;

/** One row of GET /relationships. */
public record RelationshipSummary(String id, List<String> parties, Status status, int eventCount, Instant lastEventAt) {
}
