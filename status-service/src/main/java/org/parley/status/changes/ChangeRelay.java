package org.parley.status.changes;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
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
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Publishes the change outbox to Kafka, at least once and in change order. A round locks this relay's cursor
 * row (so one instance relays at a time; the others skip), sends the changes after it, waits until the broker
 * acknowledged every one (acks=all), then stores the new position in the same transaction. A crash or a failed
 * round before that commit sends the round again: duplicates carry the same changeNumber.
 */
@ApplicationScoped
public class ChangeRelay {
    private static final Logger LOG = Logger.getLogger(ChangeRelay.class);

    @Inject
    @Channel("relationship-changes")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048)
    Emitter<String> emitter;
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
    private volatile boolean running;
    private Thread thread;
    private Counter published;
    private Counter failedRounds;

    void onStart(@Observes StartupEvent event) {
        published = registry.counter("parley.change.relay.published");
        failedRounds = registry.counter("parley.change.relay.failed.rounds");
        listener.addSink(changes -> wake.release());
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
                if (sent < config.changes().batch()) {
                    wake.tryAcquire(config.changes().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
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
                long position = ChangeOutbox.lockCursor(c, cursor(), 0);
                List<ChangeOutbox.Change> changes = position < 0 ? List.of()
                        : ChangeOutbox.after(c, position, config.changes().batch());
                if (!changes.isEmpty()) {
                    List<CompletableFuture<Void>> acks = new ArrayList<>(changes.size());
                    for (ChangeOutbox.Change change : changes) {
                        acks.add(send(change));
                    }
                    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                            .get(config.changes().ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    ChangeOutbox.moveCursor(c, cursor(), changes.get(changes.size() - 1).seq());
                }
                c.commit();
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

    private CompletableFuture<Void> send(ChangeOutbox.Change change) throws JsonProcessingException {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        String body = json.writeValueAsString(ChangeEvent.of(change));
        Metadata metadata = Metadata.of(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(change.relationshipId()).build(),
                OutgoingCloudEventMetadata.builder()
                        .withId("change-" + change.seq())
                        .withType(ChangeEvent.TYPE)
                        .withSubject(change.relationshipId())
                        .withTimestamp(change.changedAt().atZone(ZoneOffset.UTC))
                        .build());
        emitter.send(Message.of(body, metadata, () -> {
            ack.complete(null);
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            ack.completeExceptionally(failure);
            return CompletableFuture.completedFuture(null);
        }));
        return ack;
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debugf("rollback failed: %s", e);
        }
    }
}
