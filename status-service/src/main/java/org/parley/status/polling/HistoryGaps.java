package org.parley.status.polling;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.TopicPartition;

/**
 * The partitions an {@link OffsetTrackingLoop} holds because their log begins after the offset stored for
 * them (records deleted before they were stored), and the operator's acknowledgement that lets them go on.
 * Read from any thread; changed on the loop's.
 */
final class HistoryGaps {
    private final Map<TopicPartition, HistoryGap> held = new ConcurrentHashMap<>();
    private volatile boolean acknowledged;

    Map<TopicPartition, HistoryGap> held() {
        return Map.copyOf(held);
    }

    void acknowledge() {
        acknowledged = true;
    }

    /**
     * At positioning: from, the stored offset (0 where none is stored); first, the log's first offset. The
     * new gap, when the partition must be held and was not already; null otherwise.
     */
    HistoryGap check(TopicPartition tp, long from, long first) {
        if (first <= from) {
            held.remove(tp);
            return null;
        }
        HistoryGap gap = new HistoryGap(tp.partition(), from, first);
        return held.put(tp, gap) == null ? gap : null;
    }

    boolean holds(TopicPartition tp) {
        return held.containsKey(tp);
    }

    /** The assigned partitions that may be resumed. */
    Set<TopicPartition> resumable(Collection<TopicPartition> assigned) {
        Set<TopicPartition> resumable = new HashSet<>(assigned);
        resumable.removeAll(held.keySet());
        return resumable;
    }

    /** The gaps an operator acknowledged since the last call (no longer held); empty if none. */
    Map<TopicPartition, HistoryGap> takeAcknowledged() {
        if (!acknowledged) {
            return Map.of();
        }
        acknowledged = false;
        Map<TopicPartition, HistoryGap> taken = Map.copyOf(held);
        taken.keySet().forEach(held::remove);
        return taken;
    }

    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(held::remove);
    }
}
