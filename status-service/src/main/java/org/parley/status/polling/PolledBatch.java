package org.parley.status.polling;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One poll, planned: the records taken (raw; their headers carry the publishers' trace context), and the stored
 * offsets it moves from (expected; absent: none stored) and to (next), per partition it moves. positions: where
 * every assigned partition stands after it.
 */
public record PolledBatch(String topic, List<ConsumerRecord<byte[], byte[]>> polled, Map<Integer, Long> expected,
        Map<Integer, Long> next, Map<TopicPartition, Long> positions) {

    /** How many records the batch took from the poll. */
    public int records() {
        return polled.size();
    }
}
