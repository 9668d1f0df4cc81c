package org.parley.status.domain;

import java.time.Instant;

/** A standing condition or incentive of one party; restating it refreshes it. */
public record Position(String text, Instant firstStatedAt, Instant lastStatedAt, int timesStated) {
}
