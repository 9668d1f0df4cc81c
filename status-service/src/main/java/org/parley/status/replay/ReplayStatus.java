package org.parley.status.replay;

import java.time.Duration;
import java.time.Instant;

import org.parley.status.persistence.replay.ReplayStore.Row;
import org.parley.status.persistence.replay.ReplayStore.State;
import org.parley.status.persistence.replay.ReplayStore;
import org.parley.status.polling.Progress;

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

    /**
     * The row as stored, with the progress of the runner on this instance when it runs that row here
     * (progress null otherwise); recordsAtStart: what the row had processed when that run began.
     */
    static ReplayStatus of(Row row, Progress progress, long recordsAtStart) {
        Progress.Snapshot snapshot = progress == null ? null : progress.snapshot(System.currentTimeMillis());
        boolean active = row.state().active();
        long processed = snapshot != null && active ? Math.max(snapshot.records(), row.processed()) : row.processed();
        Long rate = null;
        Long eta = null;
        if (active && snapshot != null) {
            rate = snapshot.rate();
            eta = snapshot.etaSeconds();
        } else if (row.finishedAt() != null && row.runStartedAt() != null) {
            double seconds = Math.max(1, Duration.between(row.runStartedAt(), row.finishedAt()).toMillis()) / 1000.0;
            rate = Math.round((snapshot != null ? snapshot.records() - recordsAtStart : row.processed()) / seconds);
            eta = row.state() == State.DONE ? 0L : null;
        }
        return new ReplayStatus(row.id(), row.state().name(), row.mode(), processed, row.total(),
                snapshot == null ? null : snapshot.position(), rate, eta, row.startedAt(), row.runStartedAt(),
                row.finishedAt(), row.switchedAt(), row.restarts(), row.error());
    }

    public boolean active() {
        return "RUNNING".equals(state) || "SWITCHING".equals(state);
    }
}
