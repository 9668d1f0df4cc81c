package org.parley.status.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.parley.status.persistence.ProjectionWriter;
import org.parley.status.persistence.ProjectionWriter.Incoming;
import org.parley.status.persistence.ProjectionWriter.Outcome;
import org.parley.status.persistence.ProjectionWriter.StaleOffsetsException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Consumes the statements topic on one dedicated thread and hands each poll batch to
 * {@link ProjectionWriter}, which stores it together with the next offsets in one transaction. The
 * position lives in the database only: on assignment the consumer seeks to it, and Kafka's committed
 * offsets are never read. A failing batch is rolled back, re-read from the stored position after a
 * back-off, and never skipped.
 *
 * <p>Started with lag (a cold start against an empty database, or after downtime), it logs its progress
 * towards the end offsets captured when its partitions were assigned every parley.consumer.progress-interval.
 * A replay's switch pauses it between batches ({@link #pauseForSwitch}) and has it re-read its positions
 * from the swapped tables afterwards ({@link #resumeAfterSwitch}).
 */
@ApplicationScoped
public class StatementConsumer {
    private static final Logger LOG = Logger.getLogger(StatementConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long MAX_BACKOFF_MS = 5_000;

    @ConfigProperty(name = "parley.topic")
    String topic;
    @ConfigProperty(name = "parley.dlq-topic")
    String dlqTopic;
    @ConfigProperty(name = "parley.consumer.group")
    String group;
    @ConfigProperty(name = "parley.consumer.max-poll-records")
    int maxPollRecords;
    @ConfigProperty(name = "parley.consumer.progress-interval", defaultValue = "5s")
    Duration progressInterval;

    @Inject
    KafkaClients clients;
    @Inject
    ProjectionWriter writer;
    @Inject
    MeterRegistry registry;
    @Inject
    StatementTracing tracing;

    private Counter applied;
    private Counter duplicates;
    private Counter deadLettered;
    private final AtomicLong lag = new AtomicLong();

    private volatile boolean running;
    private volatile Thread worker;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    /** Consecutive failed attempts; readiness is DOWN while above zero. */
    private volatile int failures;
    private volatile String lastError;

    // Owned by the worker thread.
    /** The next offset stored in the database per assigned partition; absent = none stored. */
    private final Map<TopicPartition, Long> stored = new HashMap<>();
    private boolean mustRecover;
    private long retryAt;
    private boolean pausedForSwitch;

    /** Set by a replay's switch: pause between batches, complete it once paused. */
    private volatile CompletableFuture<Void> pauseRequest;
    private volatile boolean resumeRequested;
    private volatile CatchUp catchUp;

    void onStart(@Observes StartupEvent event) {
        applied = Counter.builder("parley.statements.applied")
                .description("Statements stored for the first time and folded into their relationship")
                .register(registry);
        duplicates = Counter.builder("parley.statements.duplicates")
                .description("Records whose eventId was already stored: ignored").register(registry);
        deadLettered = Counter.builder("parley.statements.dead_lettered")
                .description("Records that were not valid JSON or broke the contract, sent to the DLQ")
                .register(registry);
        Gauge.builder("parley.consumer.lag", lag, AtomicLong::get)
                .description("Records not yet consumed, summed over the assigned partitions").register(registry);
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (worker != null) {
            return;
        }
        running = true;
        failures = 0;
        Thread thread = new Thread(this::run, "status-consumer");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    /** Finishes the batch at hand (its transaction commits or rolls back), then leaves the group. */
    public synchronized void stop() {
        Thread thread = worker;
        if (thread == null) {
            return;
        }
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker = null;
    }

    /**
     * Asks the consumer to write nothing more after the batch at hand; completes once its transaction is
     * over and every partition is paused (at once when the consumer does not run). It keeps polling, so it
     * stays in its group, until {@link #resumeAfterSwitch}.
     */
    public synchronized CompletableFuture<Void> pauseForSwitch() {
        CompletableFuture<Void> request = new CompletableFuture<>();
        resumeRequested = false;
        pauseRequest = request;
        Thread thread = worker;
        if (thread == null || !thread.isAlive()) {
            request.complete(null);
        }
        return request;
    }

    /** Re-reads the stored offsets (the tables may have been swapped meanwhile), seeks there and resumes. */
    public synchronized void resumeAfterSwitch() {
        if (pauseRequest == null) {
            return;
        }
        if (worker == null) {
            pauseRequest = null;
            return;
        }
        resumeRequested = true;
    }

    /** Progress towards the end offsets captured at the last assignment; null before any assignment. */
    public CatchUpStatus catchUp() {
        CatchUp current = catchUp;
        return current == null ? null : current.status(System.currentTimeMillis());
    }

    /** Alive and not backing off after a failure. */
    public boolean healthy() {
        Thread thread = worker;
        return running && thread != null && thread.isAlive() && failures == 0;
    }

    public String lastError() {
        return lastError;
    }

    private void run() {
        DeadLetters.ensureTopic(dlqTopic, clients.admin());
        Map<String, Object> config = clients.statementsConsumer("status-service-consumer", maxPollRecords);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (DeadLetters dlq = new DeadLetters(dlqTopic, clients.producer());
                KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer = c;
            stored.clear();
            mustRecover = false;
            pausedForSwitch = false;
            c.subscribe(List.of(topic), new Rebalance(c));
            LOG.infof("consuming %s as group %s", topic, group);
            while (running) {
                try {
                    if (switchRequests(c)) {
                        // Paused for a replay's switch: poll only to stay in the group (nothing is returned
                        // for paused partitions; whatever else comes is re-read after the resume's seek).
                        c.poll(POLL);
                        continue;
                    }
                    ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
                    updateLag(c);
                    if (mustRecover) {
                        // Whatever this poll returned is dropped: recover() seeks every partition back.
                        c.pause(c.assignment());
                        if (System.currentTimeMillis() >= retryAt) {
                            recover(c);
                        }
                        continue;
                    }
                    process(c, dlq, records);
                    failures = 0;
                    reportCatchUp(c, records.count());
                } catch (WakeupException e) {
                    // stop(): the loop condition ends it
                } catch (StaleOffsetsException e) {
                    // The stored offsets moved under this consumer: another instance wrote its partitions, or a
                    // replay's switch swapped the tables. Not a failure: re-read them and go on from there.
                    LOG.infof("%s; re-reading the stored offsets", e.getMessage());
                    try {
                        seekToStored(c, c.assignment());
                    } catch (Exception again) {
                        fail(c, again);
                    }
                } catch (Exception e) {
                    fail(c, e);
                }
            }
        } catch (Exception e) {
            LOG.error("the consumer could not start or close cleanly", e);
            lastError = e.toString();
        } finally {
            consumer = null;
            running = false;
            CompletableFuture<Void> request = pauseRequest;
            if (request != null) {
                request.complete(null); // nothing is written any more
            }
            LOG.infof("stopped consuming %s", topic);
        }
    }

    private void process(KafkaConsumer<byte[], byte[]> c, DeadLetters dlq, ConsumerRecords<byte[], byte[]> records)
            throws Exception {
        Map<Integer, Long> next = new HashMap<>();
        Map<Integer, Long> expected = new HashMap<>();
        for (TopicPartition tp : c.assignment()) {
            // position() may be past the last record (transaction markers); never before it.
            long position = c.position(tp, Duration.ofSeconds(10));
            List<ConsumerRecord<byte[], byte[]>> of = records.records(tp);
            if (!of.isEmpty()) {
                position = Math.max(position, of.get(of.size() - 1).offset() + 1);
            }
            Long before = stored.get(tp);
            if (before == null || before != position) {
                next.put(tp.partition(), position);
                if (before != null) {
                    expected.put(tp.partition(), before);
                }
            }
        }
        if (next.isEmpty()) {
            return;
        }
        List<Incoming> incoming = new ArrayList<>(records.count());
        List<DeadLetters.Rejection> rejected = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            StatementParser.Result result = StatementParser.parseForStorage(r.key(), r.value());
            if (result instanceof StatementParser.Parsed parsed) {
                incoming.add(new Incoming(parsed.statement(), parsed.payload(), r.partition(), r.offset()));
            } else {
                String reason = ((StatementParser.Rejected) result).reason();
                LOG.warnf("dead-lettering %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), reason);
                rejected.add(new DeadLetters.Rejection(r, reason));
            }
        }
        dlq.sendAll(rejected);
        Outcome outcome = tracing.applying(topic, records, () -> writer.write(topic, incoming, expected, next));
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        next.forEach((partition, offset) -> {
            stored.put(new TopicPartition(topic, partition), offset);
            commits.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset));
        });
        // Only so that operators' lag tools see the position: never read back, correctness does not need it.
        c.commitAsync(commits, (offsets, e) -> {
            if (e != null) {
                LOG.debugf("informational offset commit failed: %s", e);
            }
        });
        applied.increment(outcome.applied());
        duplicates.increment(outcome.duplicates());
        deadLettered.increment(rejected.size());
        if (outcome.applied() + outcome.duplicates() + rejected.size() > 0) {
            LOG.debugf("batch: %d applied, %d duplicates, %d dead-lettered, %d relationships changed",
                    outcome.applied(), outcome.duplicates(), rejected.size(), outcome.relationshipsChanged());
        }
    }

    /** Rewinds to what is stored, pauses, and schedules a retry; polling goes on to stay in the group. */
    private void fail(KafkaConsumer<byte[], byte[]> c, Exception e) {
        if (!running) {
            return;
        }
        int attempt = ++failures;
        lastError = e.toString();
        long backoff = Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt - 1, 10));
        LOG.errorf(e, "batch failed (attempt %d), retrying from the stored offsets in %d ms", attempt, backoff);
        mustRecover = true;
        retryAt = System.currentTimeMillis() + backoff;
        try {
            c.pause(c.assignment());
        } catch (RuntimeException pauseFailed) {
            LOG.debug("pause failed", pauseFailed);
        }
    }

    /** Re-reads the stored offsets of every assigned partition and seeks there; then resumes. */
    private void recover(KafkaConsumer<byte[], byte[]> c) {
        try {
            Set<TopicPartition> assigned = c.assignment();
            seekToStored(c, assigned);
            c.resume(assigned);
            mustRecover = false;
        } catch (Exception e) {
            fail(c, e);
        }
    }

    private void seekToStored(KafkaConsumer<byte[], byte[]> c, Collection<TopicPartition> partitions) {
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
                fromStart.add(tp);
            } else {
                stored.put(tp, offset);
                c.seek(tp, offset);
            }
        }
        if (!fromStart.isEmpty()) {
            c.seekToBeginning(fromStart);
        }
        LOG.infof("positioned at the stored offsets %s (from the beginning: %s)", offsets, fromStart);
    }

    /** Handles a replay's pause and resume; true while paused. Runs on the worker between batches. */
    private boolean switchRequests(KafkaConsumer<byte[], byte[]> c) {
        CompletableFuture<Void> request = pauseRequest;
        if (request == null) {
            return false;
        }
        if (resumeRequested) {
            synchronized (this) {
                pauseRequest = null;
                resumeRequested = false;
            }
            pausedForSwitch = false;
            mustRecover = false;
            failures = 0;
            Set<TopicPartition> assigned = c.assignment();
            seekToStored(c, assigned);
            c.resume(assigned);
            LOG.info("resumed after the replay's switch");
            return false;
        }
        if (!pausedForSwitch) {
            pausedForSwitch = true;
            LOG.info("paused for a replay's switch");
        }
        c.pause(c.assignment());
        request.complete(null);
        return true;
    }

    /** At assignment: the end offsets to catch up with, if the consumer is behind them. */
    private void startCatchUp(KafkaConsumer<byte[], byte[]> c) {
        Set<TopicPartition> assigned = c.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends = c.endOffsets(assigned, Duration.ofSeconds(10));
        Map<TopicPartition, Long> from = new HashMap<>();
        long target = 0;
        for (TopicPartition tp : assigned) {
            long position = c.position(tp, Duration.ofSeconds(10));
            from.put(tp, position);
            target += Math.max(0, ends.getOrDefault(tp, position) - position);
        }
        long now = System.currentTimeMillis();
        CatchUp started = new CatchUp(ends, from, new Progress(target, 0, 0, now), Instant.now(),
                now + progressInterval.toMillis());
        catchUp = started;
        if (target > 0) {
            LOG.infof("catching up with %,d records of %s (end offsets %s)", target, topic, ends);
        } else {
            started.finishedAt = Instant.now();
        }
    }

    /** Progress log every progress-interval until the end offsets captured at assignment are reached. */
    private void reportCatchUp(KafkaConsumer<byte[], byte[]> c, int records) {
        CatchUp current = catchUp;
        if (current == null || current.finishedAt != null) {
            return;
        }
        long position = 0;
        boolean reached = true;
        for (Map.Entry<TopicPartition, Long> end : current.ends.entrySet()) {
            if (!c.assignment().contains(end.getKey())) {
                continue;
            }
            long at = c.position(end.getKey(), Duration.ofSeconds(10));
            position += Math.min(at, end.getValue()) - current.from.getOrDefault(end.getKey(), 0L);
            reached &= at >= end.getValue();
        }
        long now = System.currentTimeMillis();
        current.progress.advance(records, position, now);
        Progress.Snapshot snapshot = current.progress.snapshot(now);
        if (reached) {
            current.finishedAt = Instant.now();
            double seconds = Math.max(1, now - current.startedAt.toEpochMilli()) / 1000.0;
            LOG.infof("caught up with the end offsets captured at start: %,d records in %.1f s (%,d statements/s)",
                    snapshot.records(), seconds, Math.round(snapshot.records() / seconds));
        } else if (now >= current.nextReportMs) {
            current.reports++;
            current.nextReportMs = now + progressInterval.toMillis();
            LOG.infof("catching up: %s", snapshot.describe());
        }
    }

    /** What the consumer had to catch up with at its last assignment, and how far it got. */
    public record CatchUpStatus(Instant startedAt, Instant finishedAt, int reports, Progress.Snapshot progress) {
    }

    private static final class CatchUp {
        final Map<TopicPartition, Long> ends;
        final Map<TopicPartition, Long> from;
        final Progress progress;
        final Instant startedAt;
        volatile Instant finishedAt;
        volatile int reports;
        long nextReportMs;

        CatchUp(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> from, Progress progress, Instant startedAt,
                long nextReportMs) {
            this.ends = ends;
            this.from = from;
            this.progress = progress;
            this.startedAt = startedAt;
            this.nextReportMs = nextReportMs;
        }

        CatchUpStatus status(long nowMs) {
            return new CatchUpStatus(startedAt, finishedAt, reports, progress.snapshot(nowMs));
        }
    }

    private void updateLag(KafkaConsumer<byte[], byte[]> c) {
        long sum = 0;
        for (TopicPartition tp : c.assignment()) {
            sum += c.currentLag(tp).orElse(0);
        }
        lag.set(sum);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> c;

        Rebalance(KafkaConsumer<byte[], byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            try {
                if (pausedForSwitch) {
                    c.pause(partitions);
                }
                seekToStored(c, partitions);
            } catch (Exception e) {
                // Without a seek the consumer would start from auto.offset.reset: pause and recover instead.
                fail(c, e);
                return;
            }
            try {
                startCatchUp(c);
            } catch (Exception e) {
                LOG.warnf("cannot read the end offsets to report catching up: %s", e);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to flush: every batch is committed to the database before the next poll.
            partitions.forEach(stored::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(stored::remove);
        }
    }
}
