package org.parley.status.kafka;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.parley.status.persistence.ProjectionWriter.Incoming;

/**
 * One poll, parsed: the statements to store, the records that broke the contract, and the stored offsets it
 * moves from (expected; absent: none stored) and to (next), per partition it moves. records: how many the
 * poll returned; positions: where every assigned partition stands after it.
 */
public record PolledBatch(String topic, List<Incoming> incoming, List<DeadLetters.Rejection> rejected,
        Map<Integer, Long> expected, Map<Integer, Long> next, int records, Map<TopicPartition, Long> positions) {
}
