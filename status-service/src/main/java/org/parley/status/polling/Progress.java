package org.parley.status.polling;

import java.util.ArrayDeque;

/**
 * Progress of reading a topic towards target offsets: records read, position (offsets covered, which also
 * counts transaction markers) and their rates over the last {@link #WINDOW_MS}. Thread-safe: one thread
 * advances it, others read it.
 */
public final class Progress {
    static final long WINDOW_MS = 10_000;

    private final long startedAtMs;
    private final long startRecords;
    private final long target;
    private long records;
    private long position;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {ms, records, position}

    /** target and position: offsets summed over the partitions, relative to their beginning. */
    public Progress(long target, long position, long records, long nowMs) {
        this.startedAtMs = nowMs;
        this.startRecords = records;
        this.target = target;
        this.position = position;
        this.records = records;
        samples.add(new long[] { nowMs, records, position });
    }

    public synchronized void advance(long addedRecords, long newPosition, long nowMs) {
        records += addedRecords;
        position = newPosition;
        samples.add(new long[] { nowMs, records, position });
        while (samples.size() > 2 && samples.peekFirst()[0] < nowMs - WINDOW_MS) {
            samples.removeFirst();
        }
    }

    public synchronized Snapshot snapshot(long nowMs) {
        long[] first = samples.peekFirst();
        double seconds = Math.max(nowMs - first[0], 1) / 1000.0;
        double rate = (records - first[1]) / seconds;
        double offsetRate = (position - first[2]) / seconds;
        long remaining = Math.max(0, target - position);
        Long eta = remaining == 0 ? Long.valueOf(0) : offsetRate > 0 ? Long.valueOf((long) Math.ceil(remaining / offsetRate)) : null;
        double overall = (records - startRecords) / (Math.max(nowMs - startedAtMs, 1) / 1000.0);
        return new Snapshot(records, position, target, Math.round(rate), Math.round(overall), eta);
    }

    /**
     * records: read so far; position and target: offsets; rate: records/s over the last seconds; average:
     * records/s since this progress began; etaSeconds: null while nothing moves.
     */
    public record Snapshot(long records, long position, long target, long rate, long average, Long etaSeconds) {
        public double percent() {
            return target <= 0 ? 100.0 : Math.min(100.0, 100.0 * position / target);
        }

        public String describe() {
            return String.format("%,d records read, at %,d of %,d offsets (%.1f%%), %,d statements/s, ETA %s",
                    records, position, target, percent(), rate, etaSeconds == null ? "unknown" : etaSeconds + " s");
        }
    }
}
