package org.parley.status.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.parley.status.polling.Progress;

/**
 * A consumer started behind the end of its partitions (a cold start, or after downtime): the end offsets
 * captured at assignment, and a progress line every interval until they are reached.
 */
final class CatchUpReport {
    private static final Logger LOG = Logger.getLogger(CatchUpReport.class);

    private final Map<TopicPartition, Long> ends;
    private final Map<TopicPartition, Long> from;
    private final Progress progress;
    private final Instant startedAt;
    private final Duration interval;
    private volatile Instant finishedAt;
    private volatile int reports;
    private long nextReportMs;

    private CatchUpReport(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> from, long target,
            Duration interval) {
        long now = System.currentTimeMillis();
        this.ends = ends;
        this.from = from;
        this.progress = new Progress(target, 0, 0, now);
        this.startedAt = Instant.now();
        this.interval = interval;
        this.nextReportMs = now + interval.toMillis();
    }

    /** At assignment: the end offsets to catch up with; null when nothing is assigned. */
    static CatchUpReport start(KafkaConsumer<byte[], byte[]> c, String topic, Duration interval) {
        Set<TopicPartition> assigned = c.assignment();
        if (assigned.isEmpty()) {
            return null;
        }
        Map<TopicPartition, Long> ends = c.endOffsets(assigned, Duration.ofSeconds(10));
        Map<TopicPartition, Long> from = new HashMap<>();
        long target = 0;
        for (TopicPartition tp : assigned) {
            long position = c.position(tp, Duration.ofSeconds(10));
            from.put(tp, position);
            target += Math.max(0, ends.getOrDefault(tp, position) - position);
        }
        CatchUpReport started = new CatchUpReport(ends, from, target, interval);
        if (target > 0) {
            LOG.infof("catching up with %,d records of %s (end offsets %s)", target, topic, ends);
        } else {
            started.finishedAt = Instant.now();
        }
        return started;
    }

    StatementConsumer.CatchUpStatus status() {
        return new StatementConsumer.CatchUpStatus(startedAt, finishedAt, reports, progress.snapshot(System.currentTimeMillis()));
    }

    /** After a batch: progress, a line every interval, and one once the captured end offsets are reached. */
    void advance(KafkaConsumer<byte[], byte[]> c, int records) {
        if (finishedAt != null) {
            return;
        }
        long position = 0;
        boolean reached = true;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (!c.assignment().contains(end.getKey())) {
                continue;
            }
            long at = c.position(end.getKey(), Duration.ofSeconds(10));
            position += Math.min(at, end.getValue()) - from.getOrDefault(end.getKey(), 0L);
            reached &= at >= end.getValue();
        }
        long now = System.currentTimeMillis();
        progress.advance(records, position, now);
        Progress.Snapshot snapshot = progress.snapshot(now);
        if (reached) {
            finishedAt = Instant.now();
            double seconds = Math.max(1, now - startedAt.toEpochMilli()) / 1000.0;
            LOG.infof("caught up with the end offsets captured at start: %,d records in %.1f s (%,d statements/s)",
                    snapshot.records(), seconds, Math.round(snapshot.records() / seconds));
        } else if (now >= nextReportMs) {
            reports++;
            nextReportMs = now + interval.toMillis();
            LOG.infof("catching up: %s", snapshot.describe());
        }
    }
}
