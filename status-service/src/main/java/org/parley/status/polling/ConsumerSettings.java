package org.parley.status.polling;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.parley.support.kafka.KafkaClients;

/**
 * The consumer settings of every {@link OffsetTrackingLoop} over the statements topic: only committed
 * transactions (ingest publishes batches in one), positions from the database rather than Kafka's auto-commit
 * (the loop seeks every partition itself: to the stored offset, or the beginning where none is stored), and
 * never creating the topic that ingest-service owns. No reset policy: a position whose records were deleted fails the poll instead of jumping silently to
 * whatever the log still has (the loop then reports the gap).
 */
public final class ConsumerSettings {
    private ConsumerSettings() {
    }

    public static Map<String, Object> consumer(KafkaClients clients, String clientId, int maxPollRecords) {
        Map<String, Object> config = clients.consumer();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return config;
    }
}
