package org.parley.ingest.kafka;

import org.parley.ingest.TestBroker;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Looks at the service's topic with the Kafka companion, on whatever broker the tests were given. */
public final class TopicProbe implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);

    public final KafkaCompanion companion;
    public final String topic;
    private List<TopicPartition> partitions;

    private TopicProbe(String bootstrap, String topic) {
        this.companion = TestBroker.companion(bootstrap);
        this.topic = topic;
    }

    /** For the service under test: its bootstrap servers and topic, read from its configuration. */
    public static TopicProbe open() {
        var config = ConfigProvider.getConfig();
        return new TopicProbe(config.getValue("kafka.bootstrap.servers", String.class),
                config.getValue("parley.topic", String.class));
    }

    /** The committed record at this position, as a read_committed consumer sees it. */
    public ConsumerRecord<String, String> committedAt(int partition, long offset) {
        return companion.consumeStrings().withIsolationLevel(IsolationLevel.READ_COMMITTED)
                .fromOffsets(Map.of(new TopicPartition(topic, partition), offset), 1)
                .awaitCompletion(WAIT).getFirstRecord();
    }

    /**
     * How many offsets the topic holds in all (records and transaction markers), once no transaction is open:
     * an increase means something was written.
     */
    public long size() {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> endOffsets(IsolationLevel.READ_COMMITTED).equals(endOffsets(IsolationLevel.READ_UNCOMMITTED)));
        return endOffsets(IsolationLevel.READ_UNCOMMITTED).values().stream().mapToLong(Long::longValue).sum();
    }

    public long endOffset(int partition) {
        size();
        return endOffsets(IsolationLevel.READ_UNCOMMITTED).get(new TopicPartition(topic, partition));
    }

    public List<TopicPartition> partitions() {
        if (partitions == null) {
            int count = companion.topics().describe(topic).get(topic).partitions().size();
            partitions = IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).toList();
        }
        return partitions;
    }

    private Map<TopicPartition, Long> endOffsets(IsolationLevel isolation) {
        try {
            var admin = companion.getOrCreateAdminClient();
            var result = admin.listOffsets(partitions().stream().collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest())),
                    new ListOffsetsOptions(isolation)).all().get();
            return result.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        companion.close();
    }
}
