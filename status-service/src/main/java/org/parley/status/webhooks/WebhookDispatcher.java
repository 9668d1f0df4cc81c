package org.parley.status.webhooks;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.parley.status.ParleyConfig;
import org.parley.status.changes.ChangeEvent;
import org.parley.status.persistence.ChangeOutbox;
import org.parley.status.feed.ChangeListener;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Turns the change outbox into deliveries: each change, for each enabled endpoint whose filters match, one
 * delivery row with its body and id fixed. The cursor "webhooks" (a change_cursor row, locked for the round so
 * one instance dispatches at a time) moves in the same transaction as the rows are created.
 */
@ApplicationScoped
public class WebhookDispatcher {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final String CURSOR = "webhooks";
    static final String EVENT_TYPE = "relationship.changed";

    /** A webhook's body (Standard Webhooks' recommended shape: type, timestamp, data). */
    public record Payload(String type, Instant timestamp, ChangeEvent data) {
    }

    @Inject
    DataSource dataSource;
    @Inject
    ParleyConfig config;
    @Inject
    ChangeListener listener;
    @Inject
    WebhookSender sender;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry registry;

    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong pending = new AtomicLong();
    private static final long PRUNE_EVERY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    private static final int PRUNE_LIMIT = 10_000;
    private long lastPrune = System.nanoTime() - PRUNE_EVERY_NANOS;
    /** When pending deliveries were last counted: after a round that created some, else at most once a second. */
    private long lastCount = System.nanoTime() - COUNT_EVERY_NANOS;
    private static final long COUNT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private boolean cursorExists;
    private volatile boolean running;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        registry.gauge("parley.webhook.deliveries.pending", pending);
        listener.addSink(changes -> wake.release());
        running = true;
        thread = new Thread(this::run, "parley-webhook-dispatcher");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        long backoff = 100;
        while (running) {
            try {
                int read = dispatchOnce();
                prune();
                backoff = 100;
                if (read < config.changes().batch()) {
                    wake.tryAcquire(config.changes().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warnf("webhook dispatch failed (%s); retrying in %d ms", e.toString(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    /**
     * Deletes, a bounded slice per call, the outbox rows every reader passed that its retention allows, and the
     * finished deliveries older than theirs.
     */
    private void prune() {
        long now = System.nanoTime();
        if (now - lastPrune < PRUNE_EVERY_NANOS) {
            return;
        }
        lastPrune = now;
        try (Connection c = dataSource.getConnection()) {
            int deleted = ChangeOutbox.prune(c, config.changes().retention(), PRUNE_LIMIT);
            if (deleted > 0) {
                LOG.debugf("pruned %d changes from the outbox", deleted);
            }
            int deliveries = DeliveryStore.prune(c, config.webhooks().retention(), PRUNE_LIMIT);
            if (deliveries > 0) {
                LOG.debugf("pruned %d finished webhook deliveries", deliveries);
            }
        } catch (SQLException e) {
            LOG.warnf("pruning the change outbox or webhook deliveries failed (%s)", e.toString());
        }
    }

    /** One round; returns how many changes it read. */
    int dispatchOnce() throws SQLException {
        int read;
        int created;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!cursorExists) {
                    ChangeOutbox.createCursor(c, CURSOR, 0);
                }
                long position = ChangeOutbox.lockCursor(c, CURSOR);
                cursorExists = position >= 0;
                List<ChangeOutbox.Change> changes = position < 0 ? List.of()
                        : ChangeOutbox.after(c, position, config.changes().batch());
                created = changes.isEmpty() ? 0
                        : DeliveryStore.fanOut(c, changes, DeliveryStore.subscribers(c), this::body);
                if (!changes.isEmpty()) {
                    ChangeOutbox.moveCursor(c, CURSOR, changes.get(changes.size() - 1).seq());
                }
                c.commit();
                read = changes.size();
                long now = System.nanoTime();
                if (created > 0 || now - lastCount >= COUNT_EVERY_NANOS) {
                    lastCount = now;
                    pending.set(DeliveryStore.pending(c));
                    c.commit();
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        if (created > 0) {
            sender.wake();
        }
        return read;
    }

    private String body(ChangeOutbox.Change change) {
        try {
            return json.writeValueAsString(new Payload(EVENT_TYPE, change.changedAt(), ChangeEvent.of(change)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
