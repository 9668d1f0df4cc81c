package org.parley.status.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;
import org.parley.status.persistence.ProjectionWriter;
import org.parley.status.persistence.ProjectionWriter.Incoming;
import org.parley.status.persistence.ProjectionWriter.Outcome;
import org.parley.status.persistence.ProjectionWriter.StaleOffsetsException;

/**
 * The one offset-tracking poll loop, for the live consumer and for a replay: the position of a generation of
 * the tables lives in that generation's consumer_offset table only (Axon's TokenStore, updated in the
 * projection's transaction). On assignment it seeks to the stored offsets; each poll becomes a
 * {@link PolledBatch} that moves the stored offsets from what this loop last planned to where the poll left
 * the consumer, handed to a {@link BatchSink} that writes it in one transaction. A failed batch pauses every
 * partition, and after an exponential back-off the loop re-reads the stored offsets and goes on from
 * there: nothing is skipped. Stored offsets moved by someone else are re-read the same way, without the
 * back-off. Runs on its own thread; {@link #stop} finishes the batch at hand.
 *
 * <p>pipelined: a batch is written on a second thread while the next one is polled and parsed (a replay's
 * throughput); otherwise each batch is written before the next poll.
 */
public final class OffsetTrackingLoop {
    private static final Logger LOG = Logger.getLogger(OffsetTrackingLoop.class);
    static final Duration POLL = Duration.ofMillis(500);
    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_BACKOFF_MS = 5_000;

    private final String topic;
    private final Map<String, Object> config;
    /** true: assign every partition of the topic (no group); false: subscribe with the config's group. */
    private final boolean wholeTopic;
    private final ProjectionWriter writer;
    private final BatchSink sink;
    private final ExecutorService pipeline;
    private final Thread thread;

    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    /** Consecutive failed attempts. */
    private volatile int failures;
    private volatile String lastError;

    // Owned by the loop thread.
    /** The next offsets stored in the database, as this loop last wrote or read them; absent: none stored. */
    private final Map<TopicPartition, Long> stored = new HashMap<>();
    /** Where the batches handed to the sink take them (stored once those commit). */
    private final Map<TopicPartition, Long> planned = new HashMap<>();
    private boolean mustRecover;
    private long retryAt;
    private Future<Done> inFlight;

    private record Done(PolledBatch batch, Outcome outcome) {
    }

    public OffsetTrackingLoop(String name, String topic, Map<String, Object> consumerConfig, boolean wholeTopic,
            ProjectionWriter writer, BatchSink sink, boolean pipelined) {
        this.topic = topic;
        this.config = consumerConfig;
        this.wholeTopic = wholeTopic;
        this.writer = writer;
        this.sink = sink;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        this.pipeline = !pipelined ? null : Executors.newSingleThreadExecutor(task -> {
            Thread writing = new Thread(task, name + "-writer");
            writing.setDaemon(true);
            return writing;
        });
    }

    public void start() {
        thread.start();
    }

    /** Finishes the batch at hand (its transaction commits or rolls back), then leaves. */
    public void stop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Alive and not backing off after a failure. */
    public boolean healthy() {
        return running && thread.isAlive() && failures == 0;
    }

    public String lastError() {
        return lastError;
    }

    /** For the sink, on the loop thread. */
    public KafkaConsumer<byte[], byte[]> consumer() {
        return consumer;
    }

    public boolean running() {
        return running;
    }

    /** For the sink, on the loop thread: the stored offsets as last committed or read. */
    public Map<TopicPartition, Long> stored() {
        return Map.copyOf(stored);
    }

    /** For the sink, on the loop thread: writes what a poll brought and waits for it (a replay's drain). */
    public void writeNow(ConsumerRecords<byte[], byte[]> records) throws Exception {
        settle();
        PolledBatch batch = plan(consumer, records);
        if (batch != null) {
            hand(batch);
            settle();
        }
    }

    /** For the sink, on the loop thread: waits for the batch in flight to commit. */
    public void flush() throws Exception {
        settle();
    }

    /** For the sink, on the loop thread: re-reads the stored offsets, seeks there, resumes every partition. */
    public void repositionAndResume() {
        Set<TopicPartition> assigned = consumer.assignment();
        reposition(assigned);
        consumer.resume(assigned);
        mustRecover = false;
        failures = 0;
    }

    private void run() {
        try {
            sink.opening();
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                join(c);
                while (running) {
                    step(c);
                }
            }
            sink.closed(null);
        } catch (WakeupException e) {
            sink.closed(null); // stopped while joining
        } catch (Exception e) {
            lastError = e.toString();
            sink.closed(e);
        } finally {
            consumer = null;
            running = false;
            settleQuietly();
            if (pipeline != null) {
                pipeline.shutdownNow();
            }
        }
    }

    private void join(KafkaConsumer<byte[], byte[]> c) {
        if (!wholeTopic) {
            c.subscribe(List.of(topic), new Rebalance());
            return;
        }
        List<TopicPartition> all = new ArrayList<>();
        var infos = c.partitionsFor(topic, KAFKA_TIMEOUT);
        if (infos != null) {
            infos.forEach(info -> all.add(new TopicPartition(topic, info.partition())));
        }
        c.assign(all);
        reposition(all);
        sink.assigned(this, all);
    }

    private void step(KafkaConsumer<byte[], byte[]> c) {
        try {
            if (sink.holding(this)) {
                c.poll(POLL); // paused: polls only to stay in the group
                return;
            }
            ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
            if (mustRecover) {
                // Whatever this poll returned is dropped: recover() seeks every partition back.
                c.pause(c.assignment());
                if (System.currentTimeMillis() >= retryAt) {
                    recover(c);
                }
                return;
            }
            PolledBatch batch = plan(c, records);
            settle();
            if (batch != null) {
                hand(batch);
            }
            failures = 0;
            sink.polled(this, records);
        } catch (WakeupException e) {
            // stop(): the loop condition ends it
        } catch (StaleOffsetsException e) {
            // Another instance wrote these partitions, or a replay's switch swapped the tables. Not a failure:
            // re-read them and go on from there.
            LOG.infof("%s; re-reading the stored offsets", e.getMessage());
            try {
                settleQuietly();
                reposition(c.assignment());
                if (!sink.recovered(this)) {
                    running = false;
                }
            } catch (Exception again) {
                fail(c, again);
            }
        } catch (Exception e) {
            fail(c, e);
        }
    }

    /** Plans the poll's offsets after the batches before it; null: nothing moved. */
    private PolledBatch plan(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        Map<Integer, Long> next = new HashMap<>();
        Map<Integer, Long> expected = new HashMap<>();
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition tp : c.assignment()) {
            // position() may be past the last record (transaction markers); never before it.
            long at = c.position(tp, KAFKA_TIMEOUT);
            List<ConsumerRecord<byte[], byte[]>> of = records.records(tp);
            if (!of.isEmpty()) {
                at = Math.max(at, of.get(of.size() - 1).offset() + 1);
            }
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
        List<Incoming> incoming = new ArrayList<>(records.count());
        List<DeadLetters.Rejection> rejected = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            StatementParser.Result result = StatementParser.parseForStorage(r.key(), r.value());
            if (result instanceof StatementParser.Parsed parsed) {
                incoming.add(new Incoming(parsed.statement(), parsed.payload(), r.partition(), r.offset()));
            } else {
                rejected.add(new DeadLetters.Rejection(r, ((StatementParser.Rejected) result).reason()));
            }
        }
        return new PolledBatch(topic, incoming, rejected, expected, next, records.count(), positions);
    }

    private void hand(PolledBatch batch) throws Exception {
        if (pipeline == null) {
            committed(new Done(batch, sink.write(batch)));
        } else {
            inFlight = pipeline.submit(() -> new Done(batch, sink.write(batch)));
        }
    }

    /** Waits for the batch in flight; once committed, its offsets are the stored ones. Throws what it threw. */
    private void settle() throws Exception {
        Future<Done> pending = inFlight;
        if (pending == null) {
            return;
        }
        inFlight = null;
        try {
            committed(pending.get());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void committed(Done done) {
        done.batch().next().forEach((partition, offset) -> stored.put(new TopicPartition(topic, partition), offset));
        sink.committed(this, done.batch(), done.outcome());
    }

    /** Lets the batch in flight end (committed or not: the database tells) before rewinding or leaving. */
    private void settleQuietly() {
        Future<Done> pending = inFlight;
        inFlight = null;
        if (pending != null) {
            try {
                pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.debugf("the batch in flight failed: %s", e.getCause());
            }
        }
    }

    /** Pauses every partition and schedules a retry from the stored offsets; polling goes on. */
    private void fail(KafkaConsumer<byte[], byte[]> c, Exception e) {
        if (!running) {
            return;
        }
        int attempt = ++failures;
        lastError = e.toString();
        long backoff = Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt - 1, 10));
        LOG.errorf(e, "%s: batch failed (attempt %d), retrying from the stored offsets in %d ms", thread.getName(),
                attempt, backoff);
        mustRecover = true;
        retryAt = System.currentTimeMillis() + backoff;
        try {
            c.pause(c.assignment());
        } catch (RuntimeException pauseFailed) {
            LOG.debug("pause failed", pauseFailed);
        }
        if (!sink.failed(this, e)) {
            running = false;
        }
    }

    private void recover(KafkaConsumer<byte[], byte[]> c) {
        try {
            settleQuietly();
            Set<TopicPartition> assigned = c.assignment();
            reposition(assigned);
            c.resume(assigned);
            mustRecover = false;
            if (!sink.recovered(this)) {
                running = false;
            }
        } catch (Exception e) {
            fail(c, e);
        }
    }

    /** Reads the stored offsets of the partitions and seeks there (the beginning where none is stored). */
    private void reposition(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<Integer> numbers = new HashSet<>();
        partitions.forEach(tp -> numbers.add(tp.partition()));
        Map<Integer, Long> offsets = writer.storedOffsets(topic, numbers);
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long offset = offsets.get(tp.partition());
            if (offset == null) {
                stored.remove(tp);
                planned.remove(tp);
                fromStart.add(tp);
            } else {
                stored.put(tp, offset);
                planned.put(tp, offset);
                consumer.seek(tp, offset);
            }
        }
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
        }
        LOG.infof("%s: positioned at the stored offsets %s (from the beginning: %s)", thread.getName(), offsets,
                fromStart);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            try {
                reposition(partitions);
            } catch (Exception e) {
                // Without a seek the consumer would start from auto.offset.reset: pause and recover instead.
                fail(consumer, e);
                return;
            }
            sink.assigned(OffsetTrackingLoop.this, partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to flush: every batch is committed to the database before the next poll.
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> {
                stored.remove(tp);
                planned.remove(tp);
            });
        }
    }
}
