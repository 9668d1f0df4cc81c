package org.parley.status.feed;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

import javax.sql.DataSource;

import org.parley.status.ParleyConfig;
import org.parley.status.persistence.ChangeFeed.Change;
import org.parley.status.persistence.ChangeFeed.Filter;
import org.parley.status.persistence.ReadPool;
import org.parley.support.http.ProblemException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * This instance's subscribers to the change feed: its open SSE streams ({@link StreamClient}) and held
 * long-polls ({@link LongPollFilter}), fed by the {@link ChangeListener} (every instance's changes, through
 * PostgreSQL). Holds the connection cap and the heartbeat/stall timer.
 */
@ApplicationScoped
public class Subscribers {
    private static final Logger LOG = Logger.getLogger(Subscribers.class);

    @Inject
    ParleyConfig config;
    @Inject
    ChangeListener listener;
    @Inject
    ObjectMapper json;
    @Inject
    @io.quarkus.agroal.DataSource(ReadPool.NAME)
    DataSource dataSource;
    @Inject
    MeterRegistry registry;
    @Inject
    Vertx vertx;

    private final Set<StreamClient> clients = ConcurrentHashMap.newKeySet();
    /** Slots taken: open streams and held long-polls. */
    private final AtomicInteger open = new AtomicInteger();
    /** Slots taken per client address (guarded by this). */
    private final Map<String, Integer> perClient = new HashMap<>();
    private final Map<String, Set<Waiter>> waiters = new ConcurrentHashMap<>();
    private Counter resyncs;
    private Counter dropped;
    private long timer = -1;

    /** A long-poll waiting for relationship id to reach a version that `until` accepts. */
    record Waiter(LongPredicate until, CompletableFuture<Void> done) {
    }

    void onStart(@Observes StartupEvent event) {
        Gauge.builder("parley.streams.open", clients, Set::size).description("Open event streams")
                .register(registry);
        Gauge.builder("parley.client.slots", open, AtomicInteger::get)
                .description("Open event streams and held long-polls, all clients together").register(registry);
        Gauge.builder("parley.streams.buffered", clients, all -> all.stream().mapToInt(StreamClient::buffered).sum())
                .description("Events queued for stream clients, all clients together").register(registry);
        Gauge.builder("parley.long.polls.waiting", waiters, all -> all.values().stream().mapToInt(Set::size).sum())
                .description("Long-polls held until their relationship changes").register(registry);
        resyncs = Counter.builder("parley.streams.resyncs")
                .description("Times a stream client fell behind its buffer and was resynchronised from the database")
                .register(registry);
        dropped = Counter.builder("parley.streams.dropped")
                .description("Stream clients dropped because they stopped reading").register(registry);
        listener.addSink(this::dispatch);
        long tick = Math.max(100, Math.min(heartbeat().toMillis(), stallTimeout().toMillis()) / 4);
        // One client failing its tick must not cost the others their heartbeats and stall checks.
        timer = vertx.setPeriodic(tick, id -> clients.forEach(client -> {
            try {
                client.tick();
            } catch (RuntimeException e) {
                LOG.warnf("dropping a stream client whose tick failed: %s", e);
                client.close();
            }
        }));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        clients.forEach(StreamClient::close);
    }

    /**
     * Takes a slot for a stream or a held long-poll of client: null when taken (release it exactly once), else
     * the answer: 503 past the instance's cap, 429 past the client's.
     */
    synchronized Response reserve(String client) {
        if (open.get() >= config.stream().maxConnections()) {
            return refusal(503, "This instance serves as many streams and long-polls as it may; retry later or elsewhere");
        }
        int taken = perClient.getOrDefault(client, 0);
        if (taken >= config.stream().maxPerClient()) {
            return refusal(429, "This client holds as many streams and long-polls as one client may ("
                    + config.stream().maxPerClient() + "); close one or retry later");
        }
        perClient.put(client, taken + 1);
        open.incrementAndGet();
        return null;
    }

    synchronized void release(String client) {
        // entries live only while the client holds a slot: the map is bounded by the instance's cap
        perClient.computeIfPresent(client, (k, taken) -> taken <= 1 ? null : taken - 1);
        open.decrementAndGet();
    }

    private Response refusal(int status, String detail) {
        Response problem = new ProblemException(status, detail, null).toResponse();
        return Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER,
                Long.toString(Math.max(1, config.stream().retryAfter().toSeconds()))).build();
    }

    /**
     * Opens a stream for request on sink, under a slot of its client (past a cap: the refusal, thrown): from a
     * change number (a catch-up first, with Last-Event-ID), or (null) from now on.
     */
    public void open(HttpServerRequest request, SseEventSink sink, Sse sse, Runnable reset, Filter filter,
            boolean detail, Long from) {
        String client = client(request);
        Response refused = reserve(client);
        if (refused != null) {
            throw new WebApplicationException(refused);
        }
        try {
            boolean catchUp = from != null;
            new StreamClient(this, client, sink, sse, reset, filter, detail, catchUp ? from : now(), catchUp).start();
        } catch (RuntimeException e) {
            release(client);
            throw e;
        }
    }

    /** Who a request counts against for the per-client limit. */
    String client(HttpServerRequest request) {
        return ClientAddress.of(request, config.stream().trustedProxies().orElse(Set.of()));
    }

    void register(StreamClient client) {
        clients.add(client);
    }

    /** Called exactly once per client that took a slot. */
    void closed(StreamClient client) {
        if (clients.remove(client)) {
            release(client.address());
        }
    }

    // Accessors: other classes see this bean through its client proxy, whose fields are empty.
    int buffer() {
        return config.stream().buffer();
    }

    Duration heartbeat() {
        return config.stream().heartbeat();
    }

    Duration stallTimeout() {
        return config.stream().stallTimeout();
    }

    DataSource dataSource() {
        return dataSource;
    }

    ObjectMapper json() {
        return json;
    }

    void resynced() {
        resyncs.increment();
    }

    void droppedOne() {
        dropped.increment();
    }

    /** The change_seq from which a client without Last-Event-ID starts. */
    long now() {
        return Math.max(0, listener.seen());
    }

    Executor blocking() {
        return Infrastructure.getDefaultWorkerPool();
    }

    /** Completes when the relationship's version satisfies until (the caller times it out and cancels it). */
    CompletableFuture<Void> await(String id, LongPredicate until) {
        Waiter waiter = new Waiter(until, new CompletableFuture<>());
        waiters.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(waiter);
        waiter.done().whenComplete((v, e) -> waiters.computeIfPresent(id, (k, set) -> {
            set.remove(waiter);
            return set.isEmpty() ? null : set;
        }));
        return waiter.done();
    }

    private void dispatch(List<Change> changes) {
        for (Change change : changes) {
            Set<Waiter> waiting = waiters.get(change.id());
            if (waiting != null) {
                waiting.stream().filter(w -> w.until().test(change.version()))
                        .forEach(w -> w.done().complete(null));
            }
            if (clients.isEmpty()) {
                continue;
            }
            StreamEvent event = new StreamEvent(change, json);
            for (StreamClient client : clients) {
                client.offer(event);
            }
        }
    }
}
