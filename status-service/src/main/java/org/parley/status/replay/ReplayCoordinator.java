package org.parley.status.replay;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.parley.status.ParleyConfig;
import org.parley.status.consumer.StatementConsumer;
import org.parley.status.persistence.ProjectionRepository;
import org.parley.status.persistence.ProjectionWriter;
import org.parley.status.persistence.Generation;
import org.parley.status.persistence.replay.BulkLoad;
import org.parley.status.persistence.replay.ReplayLock;
import org.parley.status.persistence.replay.ReplayStore.Row;
import org.parley.status.persistence.replay.ReplayStore;
import org.parley.status.persistence.replay.GenerationSwitch;
import org.parley.status.polling.ConsumerSettings;
import org.parley.support.kafka.KafkaClients;

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
 * Blue-green replay, coordinated: a fresh generation of the projections (statement_next, relationship_next,
 * consumer_offset_next, fold_snapshot_next) is built from offset 0 beside the live one by a {@link ReplayRunner}, then switched
 * into place. This class decides whether one may run (the {@link ReplayLock} across instances, one active
 * row), takes over a replay a crash left behind (resumed from the next tables' offsets, or started over
 * when they are gone), and cancels one. {@link ReplayStatus} reports it.
 */
@ApplicationScoped
public class ReplayCoordinator {
    private static final Duration FINISHING = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(ReplayCoordinator.class);

    @Inject
    ParleyConfig config;
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
    GenerationSwitch generations;
    @Inject
    MeterRegistry registry;

    private final ScheduledExecutorService takeovers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-replay-takeover");
        t.setDaemon(true);
        return t;
    });
    private ReplayRunner.Context context;
    private volatile ReplayRunner runner;
    private volatile boolean holdSwitch;

    /** After the live consumer has started (default observer priority is 2500). */
    void onStart(@Observes @Priority(3000) StartupEvent event) {
        Counter switches = Counter.builder("parley.replay.switches")
                .description("Replays whose generation was switched into place").register(registry);
        Counter statements = Counter.builder("parley.replay.statements")
                .description("Records read by replays into a next generation").register(registry);
        context = new ReplayRunner.Context(config.topic(), config.replay(), store, generations, live, statements,
                switches, () -> holdSwitch);
        try {
            recover();
        } catch (RuntimeException e) {
            LOG.error("could not look for an interrupted replay", e);
        }
        long every = config.replay().takeoverCheck().toMillis();
        takeovers.scheduleWithFixedDelay(this::takeOverOrphan, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        takeovers.shutdownNow();
        stopRunner();
    }

    /**
     * An active replay that no runner holds is taken over by whichever instance gets its lock first: one whose
     * instance died for good, or whose runner stopped because its lock's database session was lost (PostgreSQL
     * restarted, a network cut). Without this it would wait for a restart or an operator's POST.
     */
    void takeOverOrphan() {
        try {
            if (recover(true)) {
                LOG.info("took over a replay that no runner held");
            }
        } catch (RuntimeException e) {
            LOG.debugf("looking for a replay to take over: %s", e);
        }
    }

    /** Thrown when a replay is already running (here or on another instance). */
    public static final class AlreadyRunning extends RuntimeException {
        AlreadyRunning(String message) {
            super(message, null, false, false);
        }
    }

    /** Thrown by a cancel when no replay can be cancelled. */
    public static final class NothingToCancel extends RuntimeException {
        NothingToCancel(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Starts a replay from offset 0 (or takes over one whose instance died: it resumes); returns at once.
     * AlreadyRunning if one is running.
     */
    public synchronized ReplayStatus start() {
        ReplayRunner current = runner;
        if (current != null && current.isAlive() && !finishing(current)) {
            throw new AlreadyRunning("replay " + current.id + " is running");
        }
        ReplayLock lock = ReplayLock.tryAcquire(dataSource)
                .orElseThrow(() -> new AlreadyRunning("another instance is running a replay"));
        try {
            Optional<Row> orphan = store.active();
            if (orphan.isPresent()) {
                LOG.infof("replay %d was left running by an instance that stopped: taking it over", orphan.get().id());
                resumeOrRestart(orphan.get());
                launch(orphan.get().id(), lock);
            } else {
                generations.createNextTables();
                Row row;
                try {
                    row = store.create();
                } catch (ReplayStore.AlreadyActive e) {
                    throw new AlreadyRunning(e.getMessage());
                }
                LOG.infof("replay %d started: building the next generation from offset 0 of %s", row.id(), config.topic());
                launch(row.id(), lock);
            }
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        return status();
    }

    /**
     * A runner whose replay is no longer active (DONE, FAILED, CANCELLED) may still be tidying up, e.g. dropping
     * the old generation after a switch: a new replay waits a little for it rather than answering 409.
     */
    private boolean finishing(ReplayRunner current) {
        if (store.active().isPresent()) {
            return false;
        }
        try {
            return current.awaitEnd(FINISHING);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The start-up path: a replay left RUNNING or SWITCHING (a crash, a kill -9) resumes from the next
     * tables' offsets, or starts over when they are gone. Also drops what a crash right after a switch left.
     * True if a replay was resumed here.
     */
    public synchronized boolean recover() {
        return recover(false);
    }

    private synchronized boolean recover(boolean quiet) {
        ReplayRunner current = runner;
        if (current != null && current.isAlive()) {
            return false;
        }
        Optional<Row> active = store.active();
        if (active.isEmpty()) {
            if (!quiet) {
                generations.dropOld(); // at start-up only: what a crash right after a switch left
            }
            return false;
        }
        Optional<ReplayLock> lock = ReplayLock.tryAcquire(dataSource);
        if (lock.isEmpty()) {
            if (!quiet) {
                LOG.infof("replay %d is being run by another instance", active.get().id());
            }
            return false;
        }
        try {
            resumeOrRestart(active.get());
            launch(active.get().id(), lock.get());
            return true;
        } catch (RuntimeException e) {
            lock.get().close();
            throw e;
        }
    }

    /**
     * Cancels the running replay, wherever it runs: its row is CANCELLED (which fences its runner's next
     * batch), a local runner is stopped, and the next tables are dropped. A switching replay is not
     * cancelled: it is moments from DONE. NothingToCancel when none is running.
     */
    public synchronized ReplayStatus cancel() {
        Row row = store.active().orElseThrow(() -> new NothingToCancel("no replay is running"));
        if (!store.cancel(row.id())) {
            throw new NothingToCancel("replay " + row.id() + " is switching or already over");
        }
        ReplayRunner current = runner;
        if (current != null && current.id == row.id()) {
            current.cancel();
        }
        generations.dropNext();
        LOG.infof("replay %d cancelled: its next tables are dropped", row.id());
        return status();
    }

    private void resumeOrRestart(Row row) {
        if (generations.nextTablesExist()) {
            store.restart(row.id(), false);
            LOG.infof("replay %d resumed from the next generation's stored offsets (%,d records read before)",
                    row.id(), row.processed());
            return;
        }
        generations.createNextTables();
        store.restart(row.id(), true);
        LOG.warnf("replay %d restarted from offset 0: its next tables were gone", row.id());
    }

    private void launch(long id, ReplayLock lock) {
        // Its own writer: the projections it caches belong to this run's next tables.
        ProjectionWriter writer = new ProjectionWriter(dataSource, new ProjectionRepository(Generation.NEXT, json),
                config.replay().cachedProjections(), config.replay().batchTimeout(),
                ProjectionWriter.Refolds.of(config.refold().snapshotInterval(), registry, "next"));
        BulkLoad bulk = new BulkLoad(dataSource, new ProjectionRepository(Generation.NEXT, json),
                config.replay().batchTimeout(), config.replay().finishTimeout(), config.refold().snapshotInterval());
        ReplayRunner started = new ReplayRunner(id, lock, context, writer, bulk,
                ConsumerSettings.consumer(clients, "status-service-replay-" + id, config.replay().maxPollRecords()));
        runner = started;
        started.start();
    }

    /** Stops the local runner where it is (the row stays RUNNING: a restart or {@link #recover} resumes it). */
    public synchronized void stopRunner() {
        ReplayRunner current = runner;
        if (current != null) {
            current.shutdown();
        }
    }

    /** While true, a caught-up replay keeps following the topic instead of switching (tests, operators). */
    public void holdSwitch(boolean hold) {
        holdSwitch = hold;
    }

    public ReplayStatus status() {
        Optional<Row> found = store.latest();
        if (found.isEmpty()) {
            return ReplayStatus.none();
        }
        ReplayRunner current = runner;
        return current != null && current.id == found.get().id()
                ? ReplayStatus.of(found.get(), current.progress, current.recordsAtStart)
                : ReplayStatus.of(found.get(), null, 0);
    }
}
