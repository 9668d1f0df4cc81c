package org.parley.status.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * The DLQ: a rejected record is copied there (key, value and headers as they were, plus why and where it
 * came from) and acknowledged before the batch that skips it is committed. A crash between the two sends
 * it again: the DLQ is at-least-once.
 */
final class DeadLetters implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    static final String REASON = "dead-letter-reason";
    static final String TOPIC = "dead-letter-topic";
    static final String PARTITION = "dead-letter-partition";
    static final String OFFSET = "dead-letter-offset";

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    DeadLetters(String topic, Map<String, Object> producerConfig) {
        this.topic = topic;
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "status-service-dlq");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Creates the DLQ topic with the broker's partitions and replication unless it exists, never expiring
     * (rejected records are evidence until an operator has dealt with them); a failure is only logged.
     */
    static void ensureTopic(String topic, Map<String, Object> adminConfig) {
        try (Admin admin = Admin.create(adminConfig)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"))))
                    .all().get(15, TimeUnit.SECONDS);
            LOG.infof("created the dead-letter topic %s", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("could not create the dead-letter topic %s: %s", topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | RuntimeException e) {
            LOG.warnf("could not create the dead-letter topic %s: %s", topic, e);
        }
    }

    /** Sends them all and waits for every acknowledgement; throws if any is not acknowledged. */
    void sendAll(List<Rejection> rejections) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(rejections.size());
        for (Rejection rejection : rejections) {
            ConsumerRecord<byte[], byte[]> r = rejection.record();
            RecordHeaders headers = new RecordHeaders(r.headers().toArray());
            headers.add(REASON, utf8(rejection.reason()));
            headers.add(TOPIC, utf8(r.topic()));
            headers.add(PARTITION, utf8(Integer.toString(r.partition())));
            headers.add(OFFSET, utf8(Long.toString(r.offset())));
            acks.add(producer.send(new ProducerRecord<>(topic, null, r.key(), r.value(), headers)));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(45, TimeUnit.SECONDS);
        }
    }

    /** A record that broke the contract, and why. */
    record Rejection(ConsumerRecord<byte[], byte[]> record, String reason) {
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
