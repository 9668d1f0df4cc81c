package org.parley.status.changes;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;
import org.parley.status.ParleyConfig;
import org.parley.status.feed.ChangeListener;
import org.parley.status.persistence.ChangeOutbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Publishes the change outbox to Kafka, at least once and in change order. A round locks this relay's cursor
 * row (so one instance relays at a time; the others skip), sends the changes after it, waits until the broker
 * acknowledged every one (acks=all), then stores the new position in the same transaction. A crash or a failed
 * round before that commit sends the round again: duplicates carry the same changeNumber.
 * <p>
 * The records go through the producer of the outgoing channel relationship-changes (built by SmallRye from the
 * channel's settings: acks=all, idempotence, SASL), one {@code send} per change: the channel's reactive pipeline
 * (a message, context propagation and a tracing decorator per change) was about half of the service's CPU per
 * live statement. The CloudEvents binary headers are therefore written here, as the connector would.
 */
@ApplicationScoped
public class ChangeRelay {
    private static final Logger LOG = Logger.getLogger(ChangeRelay.class);

    static final String CHANNEL = "relationship-changes";
    static final String SOURCE = "/parley/status-service";

    /** Never sent through: it wires the channel, whose sink owns the producer the relay uses. */
    @Inject
    @Channel(CHANNEL)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048)
    Emitter<String> channel;
    @Inject
    KafkaClientService kafkaClients;
    @Inject
    DataSource dataSource;
    @Inject
    ParleyConfig config;
    @Inject
    ChangeListener listener;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry registry;

    private final Semaphore wake = new Semaphore(0);
    /** The newest change this instance's listener has seen committed, and the newest this relay published. */
    private volatile long heard = Long.MAX_VALUE;
    private long relayed = -1;
    /** Whether this relay's cursor row is known to exist (created once, not in every round). */
    private boolean cursorExists;
    private volatile boolean running;
    private Thread thread;
    private Counter published;
    private Counter failedRounds;

    void onStart(@Observes StartupEvent event) {
        published = registry.counter("parley.change.relay.published");
        failedRounds = registry.counter("parley.change.relay.failed.rounds");
        listener.addSink(changes -> {
            heard = changes.get(changes.size() - 1).seq();
            wake.release();
        });
        running = true;
        thread = new Thread(this::run, "parley-change-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private String cursor() {
        return "kafka:" + config.changes().topic();
    }

    private void run() {
        long backoff = 100;
        while (running) {
            try {
                int sent = relayOnce();
                backoff = 100;
                while (sent < config.changes().batch() && running) {
                    // Woken by a commit this relay already published (it read the outbox after that commit):
                    // nothing to do. Not woken within the interval: a round anyway (a missed notification).
                    boolean woken = wake.tryAcquire(config.changes().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                    if (!woken || heard > relayed) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                failedRounds.increment();
                LOG.warnf("change relay round failed (%s); retrying in %d ms", e.toString(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    /** One round; returns how many changes it published (0: nothing new, or another instance relays). */
    int relayOnce() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!cursorExists) {
                    ChangeOutbox.createCursor(c, cursor(), 0);
                }
                long position = ChangeOutbox.lockCursor(c, cursor());
                // No row: another instance holds it, or it was removed (then created again next round).
                cursorExists = position >= 0;
                List<ChangeOutbox.Change> changes = position < 0 ? List.of()
                        : ChangeOutbox.after(c, position, config.changes().batch());
                if (!changes.isEmpty()) {
                    Producer<String, String> producer = kafkaClients.<String, String>getProducer(CHANNEL).unwrap();
                    List<CompletableFuture<Void>> acks = new ArrayList<>(changes.size());
                    for (ChangeOutbox.Change change : changes) {
                        acks.add(send(producer, change));
                    }
                    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                            .get(config.changes().ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    ChangeOutbox.moveCursor(c, cursor(), changes.get(changes.size() - 1).seq());
                }
                c.commit();
                if (position >= 0) {
                    relayed = changes.isEmpty() ? position : changes.get(changes.size() - 1).seq();
                }
                published.increment(changes.size());
                return changes.size();
            } catch (Exception e) {
                rollback(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private CompletableFuture<Void> send(Producer<String, String> producer, ChangeOutbox.Change change)
            throws JsonProcessingException {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", "change-" + change.seq());
        header(headers, "ce_type", ChangeEvent.TYPE);
        header(headers, "ce_source", SOURCE);
        header(headers, "ce_subject", change.relationshipId());
        header(headers, "ce_datacontenttype", "application/json");
        header(headers, "content-type", "application/json");
        header(headers, "ce_time", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(change.changedAt().atZone(ZoneOffset.UTC)));
        ProducerRecord<String, String> record = new ProducerRecord<>(config.changes().topic(), null,
                change.relationshipId(), json.writeValueAsString(ChangeEvent.of(change)), headers);
        CompletableFuture<Void> ack = new CompletableFuture<>();
        producer.send(record, (metadata, failure) -> {
            if (failure == null) {
                ack.complete(null);
            } else {
                ack.completeExceptionally(failure);
            }
        });
        return ack;
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debugf("rollback failed: %s", e);
        }
    }
}
