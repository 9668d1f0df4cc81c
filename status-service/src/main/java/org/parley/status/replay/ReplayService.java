package org.parley.status.replay;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.parley.status.kafka.KafkaClients;
import org.parley.status.kafka.Progress;
import org.parley.status.kafka.StatementConsumer;
import org.parley.status.kafka.StatementParser;
import org.parley.status.persistence.ProjectionWriter;
import org.parley.status.persistence.ProjectionWriter.Incoming;
import org.parley.status.persistence.Tables;
import org.parley.status.replay.ReplayStore.Row;
import org.parley.status.replay.ReplayStore.State;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Blue-green replay: builds a fresh generation of the projections (statement_next, relationship_next,
 * consumer_offset_next) from offset 0 of the topic beside the live one, on its own thread and with its own
 * group-less consumer, through the same {@link ProjectionWriter} (one transaction per large poll batch, the
 * replay row's progress included). Once it has caught up with the end of every partition it pauses the live
 * consumer, drains to the end offsets of that moment, renames the next tables into place in one transaction,
 * and lets the live consumer resume from the new offsets. A restart finds the RUNNING row and resumes from
 * consumer_offset_next, or starts over if the next tables are gone.
 *
 * <p>One replay at a time across instances: the runner holds a PostgreSQL advisory lock on its own connection
 * for as long as it runs, and the replay table admits one RUNNING or SWITCHING row.
 */
@ApplicationScoped
public class ReplayService {
    private static final Logger LOG = Logger.getLogger(ReplayService.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_BACKOFF_MS = 5_000;

    @ConfigProperty(name = "parley.topic")
    String topic;
    @ConfigProperty(name = "parley.replay.max-poll-records", defaultValue = "10000")
    int maxPollRecords;
    @ConfigProperty(name = "parley.replay.progress-interval", defaultValue = "5s")
    Duration progressInterval;
    /** How long the live consumer may stay paused while the replay drains to the end offsets. */
    @ConfigProperty(name = "parley.replay.switch-timeout", defaultValue = "60s")
    Duration switchTimeout;
    /** How long the switch waits for the live tables' locks before giving up and trying again later. */
    @ConfigProperty(name = "parley.replay.lock-timeout", defaultValue = "10s")
    Duration lockTimeout;
    /** Projections the replay keeps in memory as last written, so as not to read them back every batch. */
    @ConfigProperty(name = "parley.replay.cached-projections", defaultValue = "20000")
    int cachedProjections;

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;
    @Inject
    KafkaClients clients;
    @Inject
    StatementConsumer live;
    @Inject
    ReplayStore store;
    @Inject
    MeterRegistry registry;

    private Counter switches;
    private Counter statements;
    private volatile Runner runner;
    private volatile boolean holdSwitch;

    /** After the live consumer has started (default observer priority is 2500). */
    void onStart(@Observes @Priority(3000) StartupEvent event) {
        switches = Counter.builder("parley.replay.switches")
                .description("Replays whose generation was switched into place").register(registry);
        statements = Counter.builder("parley.replay.statements")
                .description("Records read by replays into a next generation").register(registry);
        try {
            recover();
        } catch (RuntimeException e) {
            LOG.error("could not look for an interrupted replay", e);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopRunner();
    }

    /** Thrown when a replay is already running (here or on another instance). */
    public static final class AlreadyRunning extends RuntimeException {
        AlreadyRunning(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Starts a replay from offset 0 (or takes over one whose instance died: it resumes); returns at once.
     * AlreadyRunning if one is running.
     */
    public synchronized ReplayStatus start() {
        Runner current = runner;
        if (current != null && current.isAlive()) {
            throw new AlreadyRunning("replay " + current.id + " is running");
        }
        Connection lock = store.tryLock()
                .orElseThrow(() -> new AlreadyRunning("another instance is running a replay"));
        try {
            Optional<Row> orphan = store.active();
            if (orphan.isPresent()) {
                LOG.infof("replay %d was left running by an instance that stopped: taking it over", orphan.get().id());
                resumeOrRestart(orphan.get());
                launch(orphan.get().id(), lock);
            } else {
                store.createNextTables();
                Row row;
                try {
                    row = store.create();
                } catch (ReplayStore.AlreadyActive e) {
                    throw new AlreadyRunning(e.getMessage());
                }
                LOG.infof("replay %d started: building the next generation from offset 0 of %s", row.id(), topic);
                launch(row.id(), lock);
            }
        } catch (RuntimeException e) {
            ReplayStore.unlock(lock);
            throw e;
        }
        return status();
    }

    /**
     * The start-up path: a replay left RUNNING or SWITCHING (a crash, a kill -9) resumes from the next
     * tables' offsets, or starts over when they are gone. Also drops what a crash right after a switch left.
     * True if a replay was resumed here.
     */
    public synchronized boolean recover() {
        Runner current = runner;
        if (current != null && current.isAlive()) {
            return false;
        }
        Optional<Row> active = store.active();
        if (active.isEmpty()) {
            store.dropOld();
            return false;
        }
        Optional<Connection> lock = store.tryLock();
        if (lock.isEmpty()) {
            LOG.infof("replay %d is being run by another instance", active.get().id());
            return false;
        }
        try {
            resumeOrRestart(active.get());
            launch(active.get().id(), lock.get());
            return true;
        } catch (RuntimeException e) {
            ReplayStore.unlock(lock.get());
            throw e;
        }
    }

    /** true: restarted from offset 0, because the next tables are gone. */
    private boolean resumeOrRestart(Row row) {
        if (store.nextTablesExist()) {
            store.restart(row.id(), false);
            LOG.infof("replay %d resumed from the next generation's stored offsets (%,d records read before)",
                    row.id(), row.processed());
            return false;
        }
        store.createNextTables();
        store.restart(row.id(), true);
        LOG.warnf("replay %d restarted from offset 0: its next tables were gone", row.id());
        return true;
    }

    private void launch(long id, Connection lock) {
        Runner started = new Runner(id, lock);
        runner = started;
        started.start();
    }

    /** Stops the local runner where it is (the row stays RUNNING: a restart or {@link #recover} resumes it). */
    public synchronized void stopRunner() {
        Runner current = runner;
        if (current != null) {
            current.shutdown();
        }
    }

    /** While true, a caught-up replay keeps following the topic instead of switching (tests, operators). */
    public void holdSwitch(boolean hold) {
        holdSwitch = hold;
    }

    public ReplayStatus status() {
        Runner current = runner;
        Optional<Row> found = store.latest();
        if (found.isEmpty()) {
            return ReplayStatus.none();
        }
        Row row = found.get();
        Progress.Snapshot snapshot = current != null && current.id == row.id() && current.progress != null
                ? current.progress.snapshot(System.currentTimeMillis())
                : null;
        boolean active = row.state().active();
        long processed = snapshot != null && active ? Math.max(snapshot.records(), row.processed()) : row.processed();
        Long rate = null;
        Long eta = null;
        if (active && snapshot != null) {
            rate = snapshot.rate();
            eta = snapshot.etaSeconds();
        } else if (row.finishedAt() != null && row.runStartedAt() != null) {
            double seconds = Math.max(1, Duration.between(row.runStartedAt(), row.finishedAt()).toMillis()) / 1000.0;
            rate = Math.round((snapshot != null ? snapshot.records() - current.recordsAtStart : row.processed()) / seconds);
            eta = row.state() == State.DONE ? 0L : null;
        }
        return new ReplayStatus(row.id(), row.state().name(), row.mode(), processed, row.total(),
                snapshot == null ? null : snapshot.position(), rate, eta, row.startedAt(), row.runStartedAt(),
                row.finishedAt(), row.switchedAt(), row.restarts(), row.error());
    }

    /** One run of a replay on its own thread; ends with the switch, a stop, or FAILED. */
    private final class Runner {
        final long id;
        private final Connection lock;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile KafkaConsumer<byte[], byte[]> consumer;
        volatile Progress progress;
        volatile long recordsAtStart;

        // Owned by the runner thread.
        private final List<TopicPartition> partitions = new ArrayList<>();
        private final Map<TopicPartition, Long> beginning = new HashMap<>();
        /** The next offsets stored in consumer_offset_next, as this runner last wrote or read them. */
        private final Map<TopicPartition, Long> stored = new HashMap<>();
        /** Where the batches handed to the writer thread take them (stored, once those commit). */
        private final Map<TopicPartition, Long> planned = new HashMap<>();
        private long processed;
        private long plannedProcessed;
        private long total;
        /** The batch being written while the next one is polled and parsed. */
        private Future<Batch> inFlight;
        private final ExecutorService writerThread;
        /** Its own: the projections it caches belong to this run's next tables. */
        private final ProjectionWriter writer = new ProjectionWriter(dataSource, json, Tables.NEXT, cachedProjections);
        /** Consecutive failed attempts (the back-off grows with them); mustRecover: rewind before going on. */
        private int failures;
        private boolean mustRecover;
        private long nextLogMs;

        Runner(long id, Connection lock) {
            this.id = id;
            this.lock = lock;
            this.thread = new Thread(this::run, "status-replay-" + id);
            thread.setDaemon(true);
            this.writerThread = Executors.newSingleThreadExecutor(task -> {
                Thread writing = new Thread(task, "status-replay-" + id + "-writer");
                writing.setDaemon(true);
                return writing;
            });
        }

        void start() {
            thread.start();
        }

        boolean isAlive() {
            return thread.isAlive();
        }

        void shutdown() {
            running = false;
            synchronized (this) {
                notifyAll();
            }
            KafkaConsumer<byte[], byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            Map<String, Object> config = clients.statementsConsumer("status-service-replay-" + id, maxPollRecords);
            // No group: the runner assigns every partition itself.
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            // Fetches large enough for full polls, small enough that the buffered records leave the heap to
            // the batches (a replay runs beside the live service in the same heap).
            config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
            config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
            config.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 1024 * 1024);
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                if (!begin(c)) {
                    return;
                }
                while (running) {
                    try {
                        if (mustRecover) {
                            if (!recoverFromFailure(c)) {
                                return;
                            }
                            continue;
                        }
                        // Two stages: this batch is polled and parsed while the previous one is written.
                        ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
                        Batch batch = prepare(c, records);
                        settle();
                        if (batch != null) {
                            inFlight = writerThread.submit(() -> write(batch));
                        }
                        failures = 0;
                        if (caughtUp(c, records)) {
                            settle();
                            if (holdSwitch) {
                                continue;
                            }
                            switchOver(c);
                            return;
                        }
                    } catch (WakeupException e) {
                        // shutdown(): the loop condition ends it
                    } catch (Exception e) {
                        if (!running) {
                            break;
                        }
                        failed(e);
                    }
                }
            } catch (WakeupException e) {
                // stopped while starting
            } catch (Exception e) {
                LOG.errorf(e, "replay %d stopped: it resumes when the service restarts", id);
            } finally {
                consumer = null;
                settleQuietly();
                writerThread.shutdownNow();
                ReplayStore.unlock(lock);
                LOG.infof("replay %d: runner stopped", id);
            }
        }

        /** Assigns every partition, seeks to the stored offsets, captures the total. False: failed for good. */
        private boolean begin(KafkaConsumer<byte[], byte[]> c) {
            List<PartitionInfo> infos = c.partitionsFor(topic, KAFKA_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                // Not an empty generation: switching to one would wipe every projection.
                LOG.errorf("replay %d failed: topic %s not found", id, topic);
                store.fail(id, "topic " + topic + " not found");
                return false;
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            c.assign(partitions);
            beginning.putAll(c.beginningOffsets(partitions, KAFKA_TIMEOUT));
            Map<TopicPartition, Long> end = c.endOffsets(partitions, KAFKA_TIMEOUT);
            seekToStored(c);
            for (TopicPartition tp : partitions) {
                long from = stored.getOrDefault(tp, 0L);
                if (beginning.getOrDefault(tp, 0L) > from) {
                    String error = "partition " + tp.partition() + " of " + topic + " begins at offset "
                            + beginning.get(tp) + ": records before it were deleted, so a replay would lose statements";
                    LOG.errorf("replay %d failed: %s", id, error);
                    store.fail(id, error);
                    return false;
                }
            }
            long total = 0;
            long position = 0;
            for (TopicPartition tp : partitions) {
                total += end.getOrDefault(tp, 0L) - beginning.getOrDefault(tp, 0L);
                position += stored.getOrDefault(tp, 0L) - beginning.getOrDefault(tp, 0L);
            }
            this.total = total;
            store.total(id, total);
            processed = store.byId(id).map(Row::processed).orElse(0L);
            plannedProcessed = processed;
            recordsAtStart = processed;
            long now = System.currentTimeMillis();
            progress = new Progress(total, position, processed, now);
            nextLogMs = now + progressInterval.toMillis();
            LOG.infof("replay %d: %,d partitions of %s, %,d offsets to cover (end offsets %s), from %s", id,
                    partitions.size(), topic, total, end, stored.isEmpty() ? "the beginning" : "stored offsets " + stored);
            return true;
        }

        /** Reads consumer_offset_next and seeks there (the beginning where nothing is stored). */
        private void seekToStored(KafkaConsumer<byte[], byte[]> c) {
            Set<Integer> numbers = new HashSet<>();
            partitions.forEach(tp -> numbers.add(tp.partition()));
            Map<Integer, Long> offsets = writer.storedOffsets(topic, numbers);
            stored.clear();
            planned.clear();
            List<TopicPartition> fromStart = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                Long offset = offsets.get(tp.partition());
                if (offset == null) {
                    fromStart.add(tp);
                } else {
                    stored.put(tp, offset);
                    planned.put(tp, offset);
                    c.seek(tp, offset);
                }
            }
            if (!fromStart.isEmpty()) {
                c.seekToBeginning(fromStart);
            }
        }

        /** A poll batch, parsed, with the offsets it moves the next generation from and to. */
        private record Batch(List<Incoming> incoming, Map<Integer, Long> expected, Map<Integer, Long> next, int records,
                long position, long processedAfter) {
        }

        /** Parses the poll's records and plans their offsets after the batches before; null: nothing moved. */
        private Batch prepare(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
            Map<Integer, Long> next = new HashMap<>();
            Map<Integer, Long> expected = new HashMap<>();
            long position = 0;
            for (TopicPartition tp : partitions) {
                long at = c.position(tp, KAFKA_TIMEOUT);
                List<ConsumerRecord<byte[], byte[]>> of = records.records(tp);
                if (!of.isEmpty()) {
                    at = Math.max(at, of.get(of.size() - 1).offset() + 1);
                }
                position += at - beginning.getOrDefault(tp, 0L);
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
            for (ConsumerRecord<byte[], byte[]> r : records) {
                // Rejected records were dead-lettered by the live consumer already: skipped here.
                if (StatementParser.parseForStorage(r.key(), r.value()) instanceof StatementParser.Parsed parsed) {
                    incoming.add(new Incoming(parsed.statement(), parsed.payload(), r.partition(), r.offset()));
                }
            }
            plannedProcessed += records.count();
            return new Batch(incoming, expected, next, records.count(), position, plannedProcessed);
        }

        /** One transaction: the batch's statements, projections, next offsets and the replay's progress. */
        private Batch write(Batch batch) {
            writer.write(topic, batch.incoming(), batch.expected(), batch.next(),
                    connection -> ReplayStore.progress(connection, id, batch.processedAfter()));
            return batch;
        }

        /** Waits for the batch in flight; once committed, it is stored and counted. Throws what it threw. */
        private void settle() throws Exception {
            Future<Batch> pending = inFlight;
            if (pending == null) {
                return;
            }
            inFlight = null;
            Batch batch;
            try {
                batch = pending.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            batch.next().forEach((partition, offset) -> stored.put(new TopicPartition(topic, partition), offset));
            processed = batch.processedAfter();
            statements.increment(batch.records());
            long now = System.currentTimeMillis();
            progress.advance(batch.records(), batch.position(), now);
            if (now >= nextLogMs) {
                nextLogMs = now + progressInterval.toMillis();
                LOG.infof("replay %d: %s", id, progress.snapshot(now).describe());
            }
        }

        /** Lets the batch in flight end (committed or not: the database tells) before rewinding or leaving. */
        private void settleQuietly() {
            Future<Batch> pending = inFlight;
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

        /** Writes what the poll brought and waits for it (the drain before the switch). */
        private void writeNow(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) throws Exception {
            Batch batch = prepare(c, records);
            if (batch != null) {
                inFlight = writerThread.submit(() -> write(batch));
                settle();
            }
        }

        /** At the end of every partition: lags known and zero, or (when unknown) positions at the end offsets. */
        private boolean caughtUp(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
            boolean unknown = false;
            for (TopicPartition tp : partitions) {
                var lag = c.currentLag(tp);
                if (lag.isEmpty()) {
                    unknown = true;
                } else if (lag.getAsLong() > 0) {
                    return false;
                }
            }
            if (!unknown) {
                return true;
            }
            return records.isEmpty() && reached(c, c.endOffsets(partitions, KAFKA_TIMEOUT));
        }

        private boolean reached(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> ends) {
            for (TopicPartition tp : partitions) {
                if (stored.getOrDefault(tp, -1L) < ends.getOrDefault(tp, 0L)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * The switch: the live consumer pauses between batches, the runner drains to the end offsets of that
         * moment, and one transaction renames the next tables into place. The live consumer then re-reads its
         * offsets from the new consumer_offset and resumes; the old tables are dropped.
         */
        private void switchOver(KafkaConsumer<byte[], byte[]> c) throws Exception {
            settle();
            store.state(id, State.SWITCHING);
            store.analyzeNext();
            LOG.infof("replay %d caught up (%s): switching", id, progress.snapshot(System.currentTimeMillis()).describe());
            long pausedAt = System.nanoTime();
            boolean switched = false;
            try {
                live.pauseForSwitch().get(switchTimeout.toMillis(), TimeUnit.MILLISECONDS);
                Map<TopicPartition, Long> ends = c.endOffsets(partitions, KAFKA_TIMEOUT);
                long deadline = System.nanoTime() + switchTimeout.toNanos();
                while (!reached(c, ends)) {
                    if (!running) {
                        throw new IllegalStateException("stopped while draining");
                    }
                    if (System.nanoTime() > deadline) {
                        throw new TimeoutException("could not drain to " + ends + " within " + switchTimeout);
                    }
                    writeNow(c, c.poll(POLL));
                }
                store.switchGenerations(id, lockTimeout.toMillis() + "ms");
                switched = true;
            } finally {
                live.resumeAfterSwitch();
                if (!switched) {
                    store.state(id, State.RUNNING);
                }
            }
            switches.increment();
            long pausedMs = (System.nanoTime() - pausedAt) / 1_000_000;
            store.dropOld();
            Progress.Snapshot done = progress.snapshot(System.currentTimeMillis());
            LOG.infof("replay %d done: the new generation serves (%,d records read, live consumer paused %d ms)", id,
                    done.records(), pausedMs);
        }

        private void failed(Exception e) {
            failures++;
            mustRecover = true;
            LOG.errorf(e, "replay %d: batch failed (attempt %d), retrying from the stored offsets", id, failures);
            try {
                store.lastError(id, e.toString());
            } catch (RuntimeException ignored) {
                // the database may be what fails
            }
            if (isUndefinedTable(e)) {
                LOG.errorf("replay %d failed: a next table disappeared", id);
                try {
                    store.fail(id, "a next table disappeared: " + e);
                } catch (RuntimeException ignored) {
                    // it stays RUNNING: a restart starts it over
                }
                running = false;
            }
        }

        /** After a back-off: the stored offsets and progress as committed, then on. False: end the run. */
        private boolean recoverFromFailure(KafkaConsumer<byte[], byte[]> c) throws InterruptedException {
            long backoff = Math.min(MAX_BACKOFF_MS, 100L << Math.min(failures - 1, 10));
            synchronized (this) {
                wait(backoff);
            }
            if (!running) {
                return false;
            }
            settleQuietly();
            Optional<Row> row = store.byId(id);
            if (row.isEmpty() || !row.get().state().active()) {
                LOG.infof("replay %d is no longer active (%s): stopping", id, row.map(Row::state).orElse(null));
                return false;
            }
            seekToStored(c);
            processed = row.get().processed();
            plannedProcessed = processed;
            long position = 0;
            for (TopicPartition tp : partitions) {
                position += stored.getOrDefault(tp, beginning.getOrDefault(tp, 0L)) - beginning.getOrDefault(tp, 0L);
            }
            progress = new Progress(total, position, processed, System.currentTimeMillis());
            mustRecover = false;
            store.lastError(id, null);
            return true;
        }

        private boolean isUndefinedTable(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && "42P01".equals(sql.getSQLState())) {
                    return true;
                }
            }
            return false;
        }
    }
}
