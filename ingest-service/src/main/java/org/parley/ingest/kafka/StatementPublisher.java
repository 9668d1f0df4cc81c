package org.parley.ingest.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.parley.ingest.ParleyConfig;
import org.parley.support.kafka.KafkaClients;
import org.parley.contract.AuthContext;
import org.parley.contract.CloudEvents;
import org.parley.contract.Statement;
import org.parley.contract.StatementJson;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Puts statements on Kafka with the plain client API, so durability settings are ours and explicit.
 * Single events share one idempotent producer. A batch is one Kafka transaction (see TransactionalBatches).
 */
@ApplicationScoped
public class StatementPublisher {
    private static final Logger LOG = Logger.getLogger(StatementPublisher.class);

    /** Where the broker put a record. */
    public record Ack(int partition, long offset) {
    }

    @Inject
    KafkaClients clients;
    @Inject
    StatementTopic topic;
    @Inject
    OpenTelemetry openTelemetry;

    @Inject
    ParleyConfig config;

    // Sends on the caller's thread stop while this long has passed without an acknowledgement.
    private static final long WARM_NANOS = TimeUnit.SECONDS.toNanos(60);
    // Key, headers and batch framing of one record, generously.
    private static final int RECORD_OVERHEAD = 512;
    // A batch's records are all sent at once, so its producer can fill larger produce batches than a single
    // POST's: fewer, fuller requests per statement than linger=1ms and 16 KiB (the last ones wait at most 5 ms).
    static final int TRANSACTION_BATCH_BYTES = 64 * 1024;
    static final int TRANSACTION_LINGER_MS = 5;
    // A transactional producer holds one batch at a time (a body of at most 4 MiB, a little more as records), and
    // its buffer pool keeps freed 16 KiB buffers up to buffer.memory on the heap: 8 MiB each instead of the default
    // 32 MiB bounds the four of them to 32 MiB rather than 128, as much as the whole -Xmx128m heap (docs/benchmarks.md).
    static final long TRANSACTION_BUFFER_BYTES = 8L << 20;
    // W3C trace context (traceparent, tracestate) as record headers, so status-service continues the trace.
    private static final TextMapSetter<RecordHeaders> TRACE_HEADERS = (headers, name, value) -> {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    };

    private final AtomicLong pendingBytes = new AtomicLong();
    private volatile long lastAck = System.nanoTime() - 2 * WARM_NANOS;
    private long maxPendingBytes;
    private final Clock clock = Clock.systemUTC();
    private KafkaProducer<String, byte[]> producer;
    private TransactionalBatches batches;

    @PostConstruct
    void start() {
        Map<String, Object> single = producerConfig("parley-ingest");
        // Half of buffer.memory: a send on the caller's thread must never wait for buffer space.
        maxPendingBytes = Long.parseLong(String.valueOf(single.getOrDefault(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L << 20))) / 2;
        producer = new KafkaProducer<>(single, new StringSerializer(), new ByteArraySerializer());
        // transactional.ids unique to this instance, so that several ingest instances never fence each other
        ParleyConfig.Kafka kafka = config.kafka();
        batches = new TransactionalBatches(topic, kafka.transactionalProducers(), kafka.transactionalIdPrefix() + "-" + UUID.randomUUID(),
                transactionalId -> {
                    Map<String, Object> transactional = producerConfig(transactionalId);
                    transactional.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) kafka.transactionTimeout().toMillis());
                    transactional.put(ProducerConfig.BATCH_SIZE_CONFIG, TRANSACTION_BATCH_BYTES);
                    transactional.put(ProducerConfig.LINGER_MS_CONFIG, TRANSACTION_LINGER_MS);
                    transactional.put(ProducerConfig.BUFFER_MEMORY_CONFIG, TRANSACTION_BUFFER_BYTES);
                    return transactional;
                });
    }

    @PreDestroy
    void stop() {
        producer.close(Duration.ofSeconds(5));
        batches.close();
    }

    /**
     * Completes once the broker has acknowledged the record (acks=all), or fails with PublishFailedException.
     * Never blocks the caller, so it may be called on an event loop.
     */
    public CompletionStage<Ack> publish(Statement event, AuthContext poster) {
        CompletableFuture<Ack> ack = new CompletableFuture<>();
        Context trace = Context.current(); // the request's, captured before any hop to a worker
        if (sendCannotBlock()) {
            send(event, poster, trace, ack);
        } else {
            // Waiting for the topic, its metadata or buffer memory (each up to max.block.ms) is a worker's job.
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                try {
                    awaitTopic();
                    send(event, poster, trace, ack);
                } catch (RuntimeException e) {
                    ack.completeExceptionally(e);
                }
            });
        }
        return ack;
    }

    /**
     * send() blocks only for missing topic metadata or a full buffer. Metadata is cached once a record was
     * acknowledged and stays so while the topic is in use (metadata.max.idle.ms, 5 min by default).
     */
    private boolean sendCannotBlock() {
        return System.nanoTime() - lastAck < WARM_NANOS && pendingBytes.get() < maxPendingBytes;
    }

    private void send(Statement event, AuthContext poster, Context trace, CompletableFuture<Ack> ack) {
        try {
            ProducerRecord<String, byte[]> record = record(event, poster, now(), trace);
            long size = record.value().length + RECORD_OVERHEAD;
            pendingBytes.addAndGet(size);
            try {
                producer.send(record, (metadata, error) -> {
                    pendingBytes.addAndGet(-size);
                    if (error == null) {
                        lastAck = System.nanoTime();
                        ack.complete(new Ack(metadata.partition(), metadata.offset()));
                    } else {
                        ack.completeExceptionally(failed("event " + event.eventId(), error));
                    }
                });
            } catch (RuntimeException e) {
                pendingBytes.addAndGet(-size);
                throw e;
            }
        } catch (RuntimeException e) {
            ack.completeExceptionally(failed("event " + event.eventId(), e));
        }
    }

    /**
     * Publishes all events in one transaction; completes with their positions in order, or fails with
     * PublishFailedException within parley.kafka.batch-timeout whatever the broker does. Serialises on the
     * caller's thread; never blocks it on Kafka.
     */
    public CompletionStage<List<Ack>> publishAll(List<Statement> events, AuthContext poster) {
        Instant recordedAt = now();
        Context trace = Context.current();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        for (Statement event : events) {
            records.add(record(event, poster, recordedAt, trace));
        }
        return batches.publish(records, config.kafka().batchTimeout());
    }

    private void awaitTopic() {
        if (!topic.awaitReady(config.kafka().maxBlock())) {
            throw new PublishFailedException("topic " + topic.name() + " is not ready: the broker is unreachable", null);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private ProducerRecord<String, byte[]> record(Statement event, AuthContext poster, Instant recordedAt, Context trace) {
        byte[] value = StatementJson.write(event.withRecordedAt(recordedAt));
        // CloudEvents Kafka protocol binding, binary mode: attributes as ce_ headers, the data as the value.
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.headers(event, config.cloudevents().source(), poster).forEach((name, text) -> headers.add(name, text.getBytes(StandardCharsets.UTF_8)));
        openTelemetry.getPropagators().getTextMapPropagator().inject(trace, headers, TRACE_HEADERS);
        return new ProducerRecord<>(topic.name(), null, event.relationshipId(), value, headers);
    }

    private Map<String, Object> producerConfig(String clientId) {
        ParleyConfig.Kafka kafka = config.kafka();
        Map<String, Object> settings = clients.producer();
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // A 202 promises durability: every in-sync replica has the record, written exactly once per send.
        // Set explicitly, as the SmallRye connector's own default is acks=1.
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, (int) kafka.linger().toMillis());
        // Bounded so that an unreachable broker turns into a 503 within seconds, not the client's minutes.
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, kafka.maxBlock().toMillis());
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) kafka.requestTimeout().toMillis());
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) kafka.deliveryTimeout().toMillis());
        return settings;
    }

    static PublishFailedException failed(String what, Throwable error) {
        Throwable cause = error instanceof ExecutionException && error.getCause() != null ? error.getCause() : error;
        LOG.warnf("Kafka did not acknowledge %s: %s", what, cause == null ? "deadline passed" : cause.toString());
        return new PublishFailedException("Kafka did not acknowledge " + what, cause);
    }
}
