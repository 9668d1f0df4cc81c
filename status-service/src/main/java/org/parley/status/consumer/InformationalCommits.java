package org.parley.status.consumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The consumer group's offsets in Kafka, kept only so that operators' lag tools see the position: the
 * database's offsets are the ones read back. One commit per interval with each partition's newest offset,
 * not one per batch: small live batches spent a tenth of the consumer thread's CPU on these requests.
 * Used on the loop's thread only.
 */
final class InformationalCommits {
    private static final Logger LOG = Logger.getLogger(InformationalCommits.class);

    private final long intervalNanos;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private long lastCommit = System.nanoTime();

    InformationalCommits(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** A batch committed in the database up to these next offsets. */
    void stored(String topic, Map<Integer, Long> nextOffsets) {
        nextOffsets.forEach((partition, offset) -> pending.put(new TopicPartition(topic, partition),
                new OffsetAndMetadata(offset)));
    }

    /** After every poll, so that the last batch before the topic goes quiet is sent too. */
    void sendIfDue(Consumer<?, ?> consumer) {
        long now = System.nanoTime();
        if (pending.isEmpty() || now - lastCommit < intervalNanos) {
            return;
        }
        consumer.commitAsync(new HashMap<>(pending), (offsets, e) -> {
            if (e != null) {
                LOG.debugf("informational offset commit failed: %s", e);
            }
        });
        pending.clear();
        lastCommit = now;
    }

    /** After a rebalance: what was pending may belong to another member now. */
    void reassigned() {
        pending.clear();
    }
}
