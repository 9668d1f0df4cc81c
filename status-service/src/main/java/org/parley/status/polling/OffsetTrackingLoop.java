package org.parley.status.polling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * The one offset-tracking poll loop, for the live consumer and for a replay: the position of a generation of
 * the tables lives in that generation's consumer_offset table only (Axon's TokenStore, updated in the
 * projection's transaction). On assignment it seeks to the stored offsets; each poll becomes a
 * {@link PolledBatch} that moves the stored offsets from what this loop last planned to where the poll left
 * the consumer, prepared and written in one transaction by a {@link BatchHandler}; a {@link LoopListener}
 * follows and steers it. It knows its tables only through the {@link OffsetStore} port. A failed batch pauses every
 * partition, and after an exponential back-off the loop re-reads the stored offsets and goes on from
 * there: nothing is skipped. Stored offsets moved by someone else are re-read the same way, without the
 * back-off. Runs on its own thread; {@link #stop} finishes the batch at hand.
 *
 * <p>pipelined: a batch is written on a second thread while the next one is polled and prepared (a replay's
 * throughput); otherwise each batch is written before the next poll.
 */
public final class OffsetTrackingLoop<B, R> {
    private static final Logger LOG = Logger.getLogger(OffsetTrackingLoop.class);
    static final Duration POLL = Duration.ofMillis(500);
    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_BACKOFF_MS = 5_000;

    private final String topic;
    private final Map<String, Object> config;
    /** true: assign every partition of the topic (no group); false: subscribe with the config's group. */
    private final boolean wholeTopic;
    private final OffsetStore store;
    private final BatchHandler<B, R> handler;
    private final LoopListener<B, R> listener;
    private final BatchPipeline<B, R> pipeline;
    private final Thread thread;

    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    /** Consecutive failed attempts. */
    private volatile int failures;
    private volatile String lastError;

    // Owned by the loop thread.
    private final BatchPlanner planner;
    private final OffsetSeeker seeker;
    private boolean mustRecover;
    private long retryAt;
    /** The last poll threw (e.g. not authorised): polling again at once would fail again, so the loop waits. */
    private boolean pollFailed;

    public OffsetTrackingLoop(String name, String topic, Map<String, Object> consumerConfig, boolean wholeTopic,
            OffsetStore store, BatchHandler<B, R> handler, LoopListener<B, R> listener, boolean pipelined) {
        this.topic = topic;
        this.config = consumerConfig;
        this.wholeTopic = wholeTopic;
        this.store = store;
        this.handler = handler;
        this.listener = listener;
        this.planner = new BatchPlanner(topic);
        this.seeker = new OffsetSeeker(name, topic, store, planner, gap -> listener.gap(this, gap));
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        this.pipeline = new BatchPipeline<>(name, handler, pipelined, this::committed);
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

    /** Waits up to timeout for the loop's thread to end; true if it has. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        return !thread.isAlive();
    }

    /** Alive and not backing off after a failure. */
    public boolean healthy() {
        return running && thread.isAlive() && failures == 0;
    }

    public String lastError() {
        return lastError;
    }

    /** For the listener, on the loop thread. */
    public KafkaConsumer<byte[], byte[]> consumer() {
        return consumer;
    }

    public boolean running() {
        return running;
    }

    /** For the listener, on the loop thread: the stored offsets as last committed or read. */
    public Map<TopicPartition, Long> stored() {
        return planner.stored();
    }

    /** For the listener, on the loop thread: writes what a poll brought and waits for it (a replay's drain). */
    public void writeNow(ConsumerRecords<byte[], byte[]> records) throws Exception {
        pipeline.settle();
        PolledBatch planned = planner.plan(consumer, records);
        if (planned != null) {
            pipeline.hand(planned, handler.prepare(planned));
            pipeline.settle();
        }
    }

    /** The partitions held at a history gap; empty when none. Thread-safe. */
    public Map<TopicPartition, HistoryGap> gaps() {
        return seeker.gaps();
    }

    /**
     * An operator's decision: the deleted records are gone for good; the held partitions go on from the
     * first offset their log still has. Thread-safe: done between two polls.
     */
    public void acknowledgeGaps() {
        seeker.acknowledgeGaps();
    }

    /** For the listener, on the loop thread: waits for the batch in flight to commit. */
    public void flush() throws Exception {
        pipeline.settle();
    }

    /** For the listener, on the loop thread: re-reads the stored offsets, seeks there, resumes every partition. */
    public void repositionAndResume() {
        seeker.reposition(consumer, consumer.assignment());
        seeker.resumeAll(consumer);
        mustRecover = false;
        failures = 0;
    }

    private void run() {
        try {
            listener.opening();
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                join(c);
                while (running) {
                    step(c);
                }
            }
            listener.closed(null);
        } catch (WakeupException e) {
            listener.closed(null); // stopped while joining
        } catch (Exception e) {
            lastError = e.toString();
            listener.closed(e);
        } finally {
            consumer = null;
            running = false;
            pipeline.close();
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
        seeker.reposition(c, all);
        listener.assigned(this, all);
    }

    private void step(KafkaConsumer<byte[], byte[]> c) {
        try {
            if (mustRecover && pollFailed) {
                awaitRetry();
            }
            if (seeker.jumpAcknowledgedGaps(c)) {
                listener.gapsAcknowledged(this);
            }
            if (listener.holding(this)) {
                poll(c); // paused: polls only to stay in the group
                return;
            }
            ConsumerRecords<byte[], byte[]> records = poll(c);
            if (mustRecover) {
                // Whatever this poll returned is dropped: recover() seeks every partition back.
                c.pause(c.assignment());
                if (System.currentTimeMillis() >= retryAt) {
                    recover(c);
                }
                return;
            }
            PolledBatch planned = planner.plan(c, records);
            B batch = planned == null ? null : handler.prepare(planned); // while the batch before is written
            pipeline.settle();
            if (planned != null) {
                pipeline.hand(planned, batch);
            }
            failures = 0;
            planner.grow();
            listener.polled(this, records);
        } catch (WakeupException e) {
            // stop(): the loop condition ends it
        } catch (InterruptedException e) {
            running = false; // the service is shutting down
        } catch (StaleOffsetsException e) {
            // Another instance wrote these partitions, or a replay's switch swapped the tables. Not a failure:
            // re-read them and go on from there.
            LOG.infof("%s; re-reading the stored offsets", e.getMessage());
            try {
                pipeline.settleQuietly();
                seeker.reposition(c, c.assignment());
                if (!listener.recovered(this)) {
                    running = false;
                }
            } catch (Exception again) {
                fail(c, again);
            }
        } catch (Exception e) {
            fail(c, e);
        }
    }

    /** A paused poll waits POLL for nothing; a poll that throws returns at once, so the back-off is kept here. */
    private ConsumerRecords<byte[], byte[]> poll(KafkaConsumer<byte[], byte[]> c) {
        pollFailed = true;
        ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
        pollFailed = false;
        return records;
    }

    private void awaitRetry() throws InterruptedException {
        long wait;
        while (running && (wait = retryAt - System.currentTimeMillis()) > 0) {
            Thread.sleep(Math.min(wait, 100)); // short naps: stop() is heard within 100 ms
        }
    }

    private void committed(BatchPipeline.Done<B, R> done) {
        planner.committed(done.planned());
        listener.committed(this, done.batch(), done.outcome());
    }

    /** Pauses every partition and schedules a retry from the stored offsets; polling goes on. */
    private void fail(KafkaConsumer<byte[], byte[]> c, Exception e) {
        if (!running) {
            return;
        }
        int attempt = ++failures;
        lastError = e.toString();
        if (store.ranOutOfTime(e)) {
            int limit = planner.shrink();
            LOG.warnf("%s: a batch ran out of time; retrying with at most %d records", thread.getName(), limit);
            listener.timedOut(this);
        }
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
        if (!listener.failed(this, e)) {
            running = false;
        }
    }

    private void recover(KafkaConsumer<byte[], byte[]> c) {
        try {
            pipeline.settleQuietly();
            seeker.reposition(c, c.assignment());
            seeker.resumeAll(c);
            mustRecover = false;
            if (!listener.recovered(this)) {
                running = false;
            }
        } catch (Exception e) {
            fail(c, e);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            try {
                seeker.reposition(consumer, partitions);
            } catch (Exception e) {
                // Without a seek the consumer would start from auto.offset.reset: pause and recover instead.
                fail(consumer, e);
                return;
            }
            listener.assigned(OffsetTrackingLoop.this, partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to flush: every batch is committed to the database before the next poll.
            seeker.forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            seeker.forget(partitions);
        }
    }
}
