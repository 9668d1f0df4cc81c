package org.parley.status.domain;

import java.time.Instant;

public record Meeting(Instant at, String location) {
}
