package org.parley.status.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.parley.status.ParleyConfig;
import org.parley.status.persistence.ProjectionWriter;
import org.parley.status.persistence.ProjectionWriter.Outcome;
import org.parley.status.polling.BatchHandler;
import org.parley.status.polling.ConsumerSettings;
import org.parley.status.polling.HistoryGap;
import org.parley.status.polling.LoopListener;
import org.parley.status.polling.OffsetTrackingLoop;
import org.parley.status.polling.PolledBatch;
import org.parley.status.polling.Progress;
import org.parley.support.kafka.KafkaClients;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The live consumer: the statements topic as a member of the consumer group, through the
 * {@link OffsetTrackingLoop} into the live tables (the {@link ProjectionWriter} is its offset store). Each batch
 * is decoded ({@link DecodedBatch}); records that break the contract go to the DLQ before the batch that skips
 * them commits. Kafka's committed offsets are written for operators' lag tools only and
 * never read.
 *
 * <p>Started with lag it logs its progress ({@link CatchUpReport}). A replay's switch pauses it between
 * batches ({@link #pauseForSwitch}) and has it re-read its positions from the swapped tables afterwards
 * ({@link #resumeAfterSwitch}).
 */
@ApplicationScoped
public class StatementConsumer implements BatchHandler<DecodedBatch, Outcome>, LoopListener<DecodedBatch, Outcome> {
    private static final Logger LOG = Logger.getLogger(StatementConsumer.class);

    @Inject
    ParleyConfig config;
    @Inject
    KafkaClients clients;
    @Inject
    ProjectionWriter writer;
    @Inject
    StatementTracing tracing;
    @Inject
    MeterRegistry registry;

    private ConsumerAlarms alarms;
    private Counter applied;
    private Counter duplicates;
    private Counter deadLettered;
    private Counter timeouts;
    private final AtomicLong lag = new AtomicLong();

    private volatile OffsetTrackingLoop<DecodedBatch, Outcome> loop;
    private volatile DeadLetters dlq;
    private volatile String lastError;

    private final SwitchPause switchPause = new SwitchPause();
    private final InformationalCommits informationalCommits = new InformationalCommits(Duration.ofSeconds(1));
    private volatile CatchUpReport catchUp;

    /** What the consumer had to catch up with at its last assignment, and how far it got. */
    public record CatchUpStatus(Instant startedAt, Instant finishedAt, int reports, Progress.Snapshot progress) {
    }

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
        timeouts = Counter.builder("parley.consumer.batch_timeouts")
                .description("Batches that ran out of time (parley.consumer.batch-timeout): retried smaller")
                .register(registry);
        alarms = new ConsumerAlarms(registry, config.topic(), config.dlqTopic());
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        Map<String, Object> consumer = ConsumerSettings.consumer(clients, "status-service-consumer",
                config.consumer().maxPollRecords());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumer().group());
        consumer.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.consumer().sessionTimeout().toMillis());
        config.consumer().instanceId().filter(id -> !id.isBlank())
                .ifPresent(id -> consumer.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        loop = new OffsetTrackingLoop<>("status-consumer", config.topic(), consumer, false, writer, this, this, false);
        loop.start();
    }

    /** Finishes the batch at hand (its transaction commits or rolls back), then leaves the group. */
    public synchronized void stop() {
        OffsetTrackingLoop<DecodedBatch, Outcome> current = loop;
        if (current != null) {
            current.stop();
            loop = null;
        }
    }

    /**
     * Asks the consumer to write nothing more after the batch at hand; completes once its transaction is
     * over and every partition is paused (at once when the consumer does not run). It keeps polling, so it
     * stays in its group, until {@link #resumeAfterSwitch}.
     */
    public CompletableFuture<Void> pauseForSwitch() {
        OffsetTrackingLoop<DecodedBatch, Outcome> current = loop;
        return switchPause.pause(current != null && current.isAlive());
    }

    /** Re-reads the stored offsets (the tables may have been swapped meanwhile), seeks there and resumes. */
    public void resumeAfterSwitch() {
        switchPause.resume(loop != null);
    }

    /** Progress towards the end offsets captured at the last assignment; null before any assignment. */
    public CatchUpStatus catchUp() {
        CatchUpReport current = catchUp;
        return current == null ? null : current.status();
    }

    /** Alive and not backing off after a failure. */
    public boolean healthy() {
        OffsetTrackingLoop<DecodedBatch, Outcome> current = loop;
        return current != null && current.healthy();
    }

    /** Records not yet consumed, summed over the assigned partitions, at the last poll. */
    public long lag() {
        return lag.get();
    }

    /** Partitions held at a history gap (records deleted before they were stored). */
    public Map<TopicPartition, HistoryGap> gaps() {
        OffsetTrackingLoop<DecodedBatch, Outcome> current = loop;
        return current == null ? Map.of() : current.gaps();
    }

    /** An operator's decision: the held partitions go on past their gaps. The gaps acknowledged. */
    public Collection<HistoryGap> acknowledgeGaps() {
        OffsetTrackingLoop<DecodedBatch, Outcome> current = loop;
        if (current == null) {
            return List.of();
        }
        Collection<HistoryGap> held = current.gaps().values();
        current.acknowledgeGaps();
        return held;
    }

    /** Why the DLQ cannot be written; null while it can. */
    public String dlqError() {
        return alarms.dlqError();
    }

    public String lastError() {
        OffsetTrackingLoop<DecodedBatch, Outcome> current = loop;
        String error = current == null ? null : current.lastError();
        return error != null ? error : lastError;
    }

    @Override
    public void opening() {
        DeadLetters.ensureTopic(config.dlqTopic(), clients.admin());
        dlq = new DeadLetters(config.dlqTopic(), clients.producer());
        switchPause.opening();
        LOG.infof("consuming %s as group %s", config.topic(), config.consumer().group());
    }

    @Override
    public DecodedBatch prepare(PolledBatch planned) {
        return DecodedBatch.decode(planned);
    }

    @Override
    public Outcome write(DecodedBatch batch) throws Exception {
        batch.rejected().forEach(rejection -> LOG.warnf("dead-lettering %s-%d@%d: %s", rejection.record().topic(),
                rejection.record().partition(), rejection.record().offset(), rejection.reason()));
        if (!batch.rejected().isEmpty()) {
            try {
                dlq.sendAll(batch.rejected());
                alarms.dlqWritten();
            } catch (Exception e) {
                alarms.dlqFailed(e);
                throw e;
            }
        }
        PolledBatch planned = batch.planned();
        return tracing.applying(planned.topic(), planned.polled(),
                () -> writer.write(planned.topic(), batch.incoming(), planned.expected(), planned.next(), null));
    }

    @Override
    public void timedOut(OffsetTrackingLoop<DecodedBatch, Outcome> loop) {
        timeouts.increment();
    }

    @Override
    public void gap(OffsetTrackingLoop<DecodedBatch, Outcome> loop, HistoryGap gap) {
        alarms.gap(gap);
    }

    @Override
    public void gapsAcknowledged(OffsetTrackingLoop<DecodedBatch, Outcome> loop) {
        alarms.gapsAcknowledged();
    }

    @Override
    public void committed(OffsetTrackingLoop<DecodedBatch, Outcome> loop, DecodedBatch batch, Outcome outcome) {
        informationalCommits.stored(batch.planned().topic(), batch.planned().next());
        applied.increment(outcome.applied());
        duplicates.increment(outcome.duplicates());
        deadLettered.increment(batch.rejected().size());
        if (outcome.applied() + outcome.duplicates() + batch.rejected().size() > 0) {
            LOG.debugf("batch: %d applied, %d duplicates, %d dead-lettered, %d relationships changed",
                    outcome.applied(), outcome.duplicates(), batch.rejected().size(), outcome.relationshipsChanged());
        }
    }

    @Override
    public void assigned(OffsetTrackingLoop<DecodedBatch, Outcome> loop, Collection<TopicPartition> partitions) {
        informationalCommits.reassigned();
        if (switchPause.paused()) {
            loop.consumer().pause(partitions);
        }
        try {
            catchUp = CatchUpReport.start(loop.consumer(), config.topic(), config.consumer().progressInterval());
        } catch (Exception e) {
            LOG.warnf("cannot read the end offsets to report catching up: %s", e);
        }
    }

    @Override
    public void polled(OffsetTrackingLoop<DecodedBatch, Outcome> loop, ConsumerRecords<byte[], byte[]> records) {
        KafkaConsumer<byte[], byte[]> c = loop.consumer();
        long sum = 0;
        for (TopicPartition tp : c.assignment()) {
            sum += c.currentLag(tp).orElse(0);
        }
        lag.set(sum);
        informationalCommits.sendIfDue(c);
        CatchUpReport current = catchUp;
        if (current != null) {
            current.advance(c, records.count());
        }
    }

    /** A replay's switch: true while paused. */
    @Override
    public boolean holding(OffsetTrackingLoop<DecodedBatch, Outcome> loop) {
        return switchPause.holding(loop);
    }

    @Override
    public void closed(Exception failure) {
        if (failure != null) {
            LOG.error("the consumer could not start or close cleanly", failure);
            lastError = failure.toString();
        }
        DeadLetters current = dlq;
        if (current != null) {
            current.close();
        }
        switchPause.closed();
        LOG.infof("stopped consuming %s", config.topic());
    }
}
