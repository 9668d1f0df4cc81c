package org.parley.status.polling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Plans each poll of an {@link OffsetTrackingLoop} into a {@link PolledBatch}, keeping per partition the next
 * offsets stored in the database (as it last committed or read them; absent: none stored) and where the
 * batches it handed over take them. Each poll is planned against the latter, so a batch names the stored
 * offsets it moves from (compare-and-set) and to. One thread.
 */
final class BatchPlanner {
    private final String topic;
    private final Map<TopicPartition, Long> stored = new HashMap<>();
    private final Map<TopicPartition, Long> planned = new HashMap<>();
    /** Records per batch at most, after a batch ran out of time; MAX_VALUE: what a poll returns. */
    private int limit = Integer.MAX_VALUE;
    private int lastCount;

    BatchPlanner(String topic) {
        this.topic = topic;
    }

    Map<TopicPartition, Long> stored() {
        return Map.copyOf(stored);
    }

    /** Read from the database (null: none stored): both stored and planned. */
    void positioned(TopicPartition tp, Long offset) {
        if (offset == null) {
            stored.remove(tp);
            planned.remove(tp);
        } else {
            stored.put(tp, offset);
            planned.put(tp, offset);
        }
    }

    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> positioned(tp, null));
    }

    void committed(PolledBatch batch) {
        batch.next().forEach((partition, offset) -> stored.put(new TopicPartition(topic, partition), offset));
    }

    /** Halves the batch size (from the last batch's); returns the new limit. */
    int shrink() {
        limit = Math.max(1, Math.min(limit, Math.max(1, lastCount)) / 2);
        return limit;
    }

    /** After a success: doubles it back, until polls are taken whole again. */
    void grow() {
        if (limit != Integer.MAX_VALUE) {
            limit = limit > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : limit * 2;
        }
    }

    /**
     * The poll as a batch after the batches before it; null: no stored offset moves. Beyond the limit, the
     * records of a partition are left for the next poll (the consumer seeks back to the first one left).
     */
    PolledBatch plan(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> polled) {
        Map<Integer, Long> next = new HashMap<>();
        Map<Integer, Long> expected = new HashMap<>();
        Map<TopicPartition, Long> positions = new HashMap<>();
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> taken = new HashMap<>();
        int room = limit;
        for (TopicPartition tp : c.assignment()) {
            // position() may be past the last record (transaction markers); never before it.
            long at = c.position(tp, OffsetTrackingLoop.KAFKA_TIMEOUT);
            List<ConsumerRecord<byte[], byte[]>> of = polled.records(tp);
            if (of.size() > room) {
                if (room == 0) {
                    at = planned.getOrDefault(tp, of.get(0).offset());
                    c.seek(tp, of.get(0).offset());
                    of = List.of();
                } else {
                    c.seek(tp, of.get(room).offset());
                    of = of.subList(0, room);
                    at = of.get(of.size() - 1).offset() + 1;
                }
            } else if (!of.isEmpty()) {
                at = Math.max(at, of.get(of.size() - 1).offset() + 1);
            }
            room -= of.size();
            taken.put(tp, of);
            positions.put(tp, at);
            Long before = planned.get(tp);
            if (before == null || before != at) {
                next.put(tp.partition(), at);
                if (before != null) {
                    expected.put(tp.partition(), before);
                }
                planned.put(tp, at);
            }
        }
        if (next.isEmpty()) {
            return null;
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        taken.values().forEach(records::addAll);
        lastCount = records.size();
        return new PolledBatch(topic, records, expected, next, positions);
    }
}
