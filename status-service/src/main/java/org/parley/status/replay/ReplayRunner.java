package org.parley.status.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.parley.status.ParleyConfig;
import org.parley.status.consumer.DecodedBatch;
import org.parley.status.consumer.StatementConsumer;
import org.parley.status.persistence.CauseChain;
import org.parley.status.persistence.ProjectionWriter.Outcome;
import org.parley.status.persistence.ProjectionWriter;
import org.parley.status.persistence.replay.BulkLoad;
import org.parley.status.persistence.replay.ReplayLock;
import org.parley.status.persistence.replay.ReplayStore.Row;
import org.parley.status.persistence.replay.ReplayStore.State;
import org.parley.status.persistence.replay.ReplayStore;
import org.parley.status.persistence.replay.GenerationSwitch;
import org.parley.status.polling.BatchHandler;
import org.parley.status.polling.HistoryGap;
import org.parley.status.polling.LoopListener;
import org.parley.status.polling.OffsetTrackingLoop;
import org.parley.status.polling.PolledBatch;
import org.parley.status.polling.Progress;

import io.micrometer.core.instrument.Counter;

/**
 * Runs one replay: the {@link OffsetTrackingLoop} over every partition, without a group, pipelined, into the
 * next tables (the replay row's progress in each batch's transaction, fenced by {@link ReplayLock}). Until it
 * first catches up with the end of every partition it bulk-loads them ({@link BulkLoad}: statements only, then
 * keys, indexes and projections built once); after that it writes batch by batch, and it switches
 * ({@link GenerationSwitch}) and ends. A restart of the service resumes the row from the next tables' offsets.
 */
final class ReplayRunner implements BatchHandler<DecodedBatch, Outcome>, LoopListener<DecodedBatch, Outcome> {
    private static final Logger LOG = Logger.getLogger(ReplayRunner.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    /** What a runner needs from the service. */
    record Context(String topic, ParleyConfig.Replay config, ReplayStore store, GenerationSwitch generations,
            StatementConsumer live, Counter statements, Counter switches, BooleanSupplier holdSwitch) {
    }

    final long id;
    private final Context context;
    private final ReplayLock lock;
    private final ProjectionWriter writer;
    private final BulkLoad bulk;
    private final OffsetTrackingLoop<DecodedBatch, Outcome> loop;
    /** Whether the next generation is loaded: batches go through the writer (projections kept up) from then on. */
    private volatile boolean loaded;

    volatile Progress progress;
    volatile long recordsAtStart;
    /** Set by a cancel: the loop ends without switching, and the row is no longer this runner's to touch. */
    private volatile boolean cancelled;

    // Owned by the loop thread (and by the writer thread for writtenProcessed, between settles).
    private final Map<TopicPartition, Long> beginning = new HashMap<>();
    private final List<TopicPartition> partitions = new ArrayList<>();
    private volatile long writtenProcessed;
    private long total;
    private long nextLogMs;

    ReplayRunner(long id, ReplayLock lock, Context context, ProjectionWriter writer, BulkLoad bulk,
            Map<String, Object> consumer) {
        this.id = id;
        this.lock = lock;
        this.context = context;
        this.writer = writer;
        this.bulk = bulk;
        // No group: the runner assigns every partition itself. Fetches large enough for full polls, small enough
        // that the buffered records leave the heap to the batches (a replay shares the live service's heap).
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        consumer.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        consumer.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1024 * 1024);
        this.loop = new OffsetTrackingLoop<>("status-replay-" + id, context.topic(), consumer, true, writer, this, this,
                true);
    }

    void start() {
        loop.start();
    }

    boolean isAlive() {
        return loop.isAlive();
    }

    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return loop.awaitEnd(timeout);
    }

    /** Stops where it is (the row stays active: a restart resumes it). */
    void shutdown() {
        loop.stop();
    }

    /** Stops without touching the row again: a cancel has ended it. */
    void cancel() {
        cancelled = true;
        loop.stop();
    }

    /** Assigned every partition and positioned at the stored offsets: what there is to cover. */
    @Override
    public void assigned(OffsetTrackingLoop<DecodedBatch, Outcome> loop, Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
            // Not an empty generation: switching to one would wipe every projection.
            end("topic " + context.topic() + " not found");
            return;
        }
        KafkaConsumer<byte[], byte[]> c = loop.consumer();
        partitions.addAll(assigned);
        beginning.putAll(c.beginningOffsets(partitions, KAFKA_TIMEOUT));
        Map<TopicPartition, Long> end = c.endOffsets(partitions, KAFKA_TIMEOUT);
        Map<TopicPartition, Long> stored = loop.stored();
        if (!loop.gaps().isEmpty()) {
            return; // ended by gap()
        }
        long position = 0;
        for (TopicPartition tp : partitions) {
            total += end.getOrDefault(tp, 0L) - beginning.getOrDefault(tp, 0L);
            position += stored.getOrDefault(tp, 0L) - beginning.getOrDefault(tp, 0L);
        }
        context.store().total(id, total);
        loaded = bulk.loaded();
        long processed = context.store().byId(id).map(Row::processed).orElse(0L);
        writtenProcessed = processed;
        recordsAtStart = processed;
        long now = System.currentTimeMillis();
        progress = new Progress(total, position, processed, now);
        nextLogMs = now + context.config().progressInterval().toMillis();
        LOG.infof("replay %d: %,d partitions of %s, %,d offsets to cover (end offsets %s), from %s", id,
                partitions.size(), context.topic(), total, end, stored.isEmpty() ? "the beginning" : "stored offsets " + stored);
    }

    /** History deleted before the next generation stored it: a replay would lose statements. */
    @Override
    public void gap(OffsetTrackingLoop<DecodedBatch, Outcome> loop, HistoryGap gap) {
        end("partition " + gap.partition() + " of " + context.topic() + " begins at offset " + gap.to()
                + ": records before it were deleted, so a replay would lose statements");
    }

    private void end(String error) {
        LOG.errorf("replay %d failed: %s", id, error);
        context.store().fail(id, error);
        loop.stop();
    }

    /**
     * One transaction: the batch's statements, next offsets and the replay's progress; its projections too once
     * the generation is loaded.
     */
    @Override
    public DecodedBatch prepare(PolledBatch planned) {
        return DecodedBatch.decode(planned);
    }

    @Override
    public Outcome write(DecodedBatch batch) {
        PolledBatch planned = batch.planned();
        long after = writtenProcessed + planned.records();
        ProjectionWriter.InTransaction progress = connection -> ReplayStore.progress(connection, id, after, lock);
        Outcome outcome = loaded ? writer.write(planned.topic(), batch.incoming(), planned.expected(), planned.next(), progress)
                : bulk.load(planned.topic(), batch.incoming(), planned.expected(), planned.next(), progress);
        writtenProcessed = after;
        return outcome;
    }

    @Override
    public void committed(OffsetTrackingLoop<DecodedBatch, Outcome> loop, DecodedBatch decoded, Outcome outcome) {
        PolledBatch batch = decoded.planned();
        context.statements().increment(batch.records());
        long position = 0;
        for (Map.Entry<TopicPartition, Long> at : batch.positions().entrySet()) {
            position += at.getValue() - beginning.getOrDefault(at.getKey(), 0L);
        }
        long now = System.currentTimeMillis();
        progress.advance(batch.records(), position, now);
        if (now >= nextLogMs) {
            nextLogMs = now + context.config().progressInterval().toMillis();
            LOG.infof("replay %d: %s", id, progress.snapshot(now).describe());
        }
    }

    /** Caught up with every partition: switch (unless held), and end. */
    @Override
    public void polled(OffsetTrackingLoop<DecodedBatch, Outcome> loop, ConsumerRecords<byte[], byte[]> records) throws Exception {
        if (!caughtUp(loop, records)) {
            return;
        }
        loop.flush();
        if (!loaded && !cancelled) {
            long processed = writtenProcessed;
            bulk.finish(id, connection -> ReplayStore.progress(connection, id, processed, lock));
            loaded = true;
        }
        if (context.holdSwitch().getAsBoolean() || cancelled) {
            return;
        }
        switchOver(loop);
        loop.stop();
    }

    /** At the end of every partition: lags known and zero, or (when unknown) positions at the end offsets. */
    private boolean caughtUp(OffsetTrackingLoop<DecodedBatch, Outcome> loop, ConsumerRecords<byte[], byte[]> records) {
        KafkaConsumer<byte[], byte[]> c = loop.consumer();
        boolean unknown = false;
        for (TopicPartition tp : partitions) {
            var lag = c.currentLag(tp);
            if (lag.isEmpty()) {
                unknown = true;
            } else if (lag.getAsLong() > 0) {
                return false;
            }
        }
        return !unknown || records.isEmpty() && reached(loop.stored(), c.endOffsets(partitions, KAFKA_TIMEOUT));
    }

    private boolean reached(Map<TopicPartition, Long> stored, Map<TopicPartition, Long> ends) {
        for (TopicPartition tp : partitions) {
            if (stored.getOrDefault(tp, -1L) < ends.getOrDefault(tp, 0L)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The switch: the live consumer pauses between batches, the runner drains to the end offsets of that
     * moment, and one transaction renames the next tables into place; the live consumer then re-reads its
     * offsets from the new consumer_offset and resumes; the old tables are dropped.
     */
    private void switchOver(OffsetTrackingLoop<DecodedBatch, Outcome> loop) throws Exception {
        if (!context.store().beginSwitch(id, lock)) {
            throw new ReplayStore.NoLongerActive("replay " + id + " is no longer running, or its runner lost its lock");
        }
        context.generations().analyzeNext();
        LOG.infof("replay %d caught up (%s): switching", id, progress.snapshot(System.currentTimeMillis()).describe());
        Duration timeout = context.config().switchTimeout();
        long pausedAt = System.nanoTime();
        boolean switched = false;
        try {
            context.live().pauseForSwitch().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            KafkaConsumer<byte[], byte[]> c = loop.consumer();
            Map<TopicPartition, Long> ends = c.endOffsets(partitions, KAFKA_TIMEOUT);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(loop.stored(), ends)) {
                if (!loop.running()) {
                    throw new IllegalStateException("stopped while draining");
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("could not drain to " + ends + " within " + timeout);
                }
                loop.writeNow(c.poll(Duration.ofMillis(500)));
            }
            context.generations().switchWithRetries(id, lock, context.config().lockTimeout(), deadline);
            switched = true;
        } finally {
            context.live().resumeAfterSwitch();
            if (!switched) {
                abandonSwitch();
            }
        }
        context.switches().increment();
        long pausedMs = (System.nanoTime() - pausedAt) / 1_000_000;
        context.generations().dropOld();
        LOG.infof("replay %d done: the new generation serves (%,d records read, live consumer paused %d ms)", id,
                progress.snapshot(System.currentTimeMillis()).records(), pausedMs);
    }

    /** Back to RUNNING; when the database is what failed, the next attempt or recovered() does it. */
    private void abandonSwitch() {
        try {
            context.store().switchAbandoned(id, lock);
        } catch (RuntimeException e) {
            LOG.warnf("replay %d: the switch did not happen and the row stays SWITCHING for now (%s)", id, e);
        }
    }

    @Override
    public boolean failed(OffsetTrackingLoop<DecodedBatch, Outcome> loop, Exception e) {
        if (cancelled) {
            LOG.infof("replay %d cancelled: stopping", id);
            return false;
        }
        if (CauseChain.isA(e, ReplayStore.NoLongerActive.class)) {
            // Never two runners: another may hold the lock (and the row) by now. Noted on the row for operators.
            LOG.warnf("replay %d: %s; stopping this runner", id, e.getMessage());
            try {
                context.store().lastError(id, e.getMessage());
            } catch (RuntimeException ignored) {
                // the database may be what fails
            }
            return false;
        }
        try {
            context.store().lastError(id, e.toString());
        } catch (RuntimeException ignored) {
            // the database may be what fails
        }
        if (CauseChain.sqlState(e, "42P01")) {
            LOG.errorf("replay %d failed: a next table disappeared", id);
            try {
                context.store().fail(id, "a next table disappeared: " + e);
            } catch (RuntimeException ignored) {
                // it stays RUNNING: a restart starts it over
            }
            return false;
        }
        return true;
    }

    /** After a back-off: still this runner's replay? Then the progress as committed, and on. */
    @Override
    public boolean recovered(OffsetTrackingLoop<DecodedBatch, Outcome> loop) {
        Optional<Row> row = context.store().byId(id);
        if (cancelled || row.isEmpty() || !row.get().state().active()) {
            LOG.infof("replay %d is no longer active (%s): stopping", id, row.map(Row::state).orElse(null));
            return false;
        }
        if (row.get().state() == State.SWITCHING) {
            abandonSwitch(); // a switch attempt that failed with the database
        }
        long processed = row.get().processed();
        writtenProcessed = processed;
        loaded = bulk.loaded(); // a finish that failed rolled back
        Map<TopicPartition, Long> stored = loop.stored();
        long position = 0;
        for (TopicPartition tp : partitions) {
            position += stored.getOrDefault(tp, beginning.getOrDefault(tp, 0L)) - beginning.getOrDefault(tp, 0L);
        }
        progress = new Progress(total, position, processed, System.currentTimeMillis());
        context.store().lastError(id, null);
        return true;
    }

    @Override
    public void closed(Exception failure) {
        if (failure != null) {
            LOG.errorf(failure, "replay %d stopped: it resumes when the service restarts", id);
        }
        lock.close();
        LOG.infof("replay %d: runner stopped", id);
    }
}
