package org.parley.status.replay;

import java.time.Instant;

/**
 * What GET /admin/replay answers. state NONE when no replay ever ran. processed: records read into the next
 * generation; total: offsets to cover (the end offsets captured when the run began, less the beginning
 * offsets; transaction markers occupy offsets too, so processed can stay below it); position: offsets
 * covered (while this instance runs it); rate: statements/s over the last seconds while running, the run's
 * average once finished; etaSeconds: until the captured end offsets, null when unknown.
 */
public record ReplayStatus(Long id, String state, String mode, long processed, long total, Long position, Long rate,
        Long etaSeconds, Instant startedAt, Instant runStartedAt, Instant finishedAt, Instant switchedAt,
        int restarts, String error) {

    public static ReplayStatus none() {
        return new ReplayStatus(null, "NONE", null, 0, 0, null, null, null, null, null, null, null, 0, null);
    }

    public boolean active() {
        return "RUNNING".equals(state) || "SWITCHING".equals(state);
    }
}
