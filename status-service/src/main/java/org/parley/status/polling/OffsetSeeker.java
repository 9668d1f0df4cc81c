package org.parley.status.polling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Seeks an {@link OffsetTrackingLoop}'s consumer to where it reads from: the offsets in its {@link OffsetStore}
 * (the generation's own consumer_offset table), never Kafka's committed ones, and never past records that were deleted before they
 * were stored (a history gap holds its partition until an operator acknowledges it). Used on the loop thread.
 */
final class OffsetSeeker {
    private static final Logger LOG = Logger.getLogger(OffsetSeeker.class);

    private final String name;
    private final String topic;
    private final OffsetStore store;
    private final BatchPlanner planner;
    private final HistoryGaps gaps = new HistoryGaps();
    private final Consumer<HistoryGap> onGap;

    OffsetSeeker(String name, String topic, OffsetStore store, BatchPlanner planner, Consumer<HistoryGap> onGap) {
        this.name = name;
        this.topic = topic;
        this.store = store;
        this.planner = planner;
        this.onGap = onGap;
    }

    /** Reads the stored offsets of the partitions and seeks there (the beginning where none is stored). */
    void reposition(KafkaConsumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<Integer> numbers = new HashSet<>();
        partitions.forEach(tp -> numbers.add(tp.partition()));
        Map<Integer, Long> read = store.storedOffsets(topic, numbers);
        Map<TopicPartition, Long> logStart = consumer.beginningOffsets(partitions, OffsetTrackingLoop.KAFKA_TIMEOUT);
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long offset = read.get(tp.partition());
            planner.positioned(tp, offset);
            long from = offset == null ? 0 : offset;
            HistoryGap gap = gaps.check(tp, from, logStart.getOrDefault(tp, 0L));
            if (gap != null) {
                onGap.accept(gap);
            }
            if (gaps.holds(tp)) {
                // Records this generation never stored are gone (retention, DeleteRecords): never jump them
                // silently. Positioned where it stands (so no reset policy applies) and held.
                consumer.seek(tp, from);
                consumer.pause(List.of(tp));
            } else if (offset == null) {
                fromStart.add(tp);
            } else {
                consumer.seek(tp, offset);
            }
        }
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
        }
        LOG.infof("%s: positioned at the stored offsets %s (from the beginning: %s)", name, read, fromStart);
    }

    /** Resumes every assigned partition but those held at a history gap. */
    void resumeAll(KafkaConsumer<byte[], byte[]> consumer) {
        consumer.resume(gaps.resumable(consumer.assignment()));
    }

    /** What an operator acknowledged: each held partition goes on from its log's first offset. True if any. */
    boolean jumpAcknowledgedGaps(KafkaConsumer<byte[], byte[]> consumer) {
        Map<TopicPartition, HistoryGap> acknowledged = gaps.takeAcknowledged();
        if (acknowledged.isEmpty()) {
            return false;
        }
        acknowledged.forEach((tp, gap) -> {
            LOG.warnf("%s: partition %d of %s jumps offsets %d to %d (deleted), as an operator acknowledged",
                    name, gap.partition(), topic, gap.from(), gap.to() - 1);
            consumer.seek(tp, gap.to());
        });
        resumeAll(consumer);
        return true;
    }

    /** Thread-safe. */
    Map<TopicPartition, HistoryGap> gaps() {
        return gaps.held();
    }

    /** Thread-safe: takes effect between two polls. */
    void acknowledgeGaps() {
        gaps.acknowledge();
    }

    /** Partitions revoked or lost. */
    void forget(Collection<TopicPartition> partitions) {
        planner.forget(partitions);
        gaps.forget(partitions);
    }
}
