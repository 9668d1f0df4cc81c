package org.parley.status.webhooks;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.jboss.logging.Logger;
import org.parley.status.ParleyConfig;
import org.parley.status.webhooks.DeliveryStore.Attempt;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Sends due deliveries: claims at most as many as it has free slots (parley.webhooks.concurrency), POSTs each
 * signed with a fresh timestamp (the same webhook-id every attempt), and records the outcome: 2xx succeeded;
 * 410 failed and the endpoint disabled; anything else (also timeouts, refused connections, redirects) tried
 * again on the retry schedule, a 429 or 503 after its Retry-After; past the schedule the delivery fails and the
 * endpoint is disabled unless something succeeded since the delivery was created.
 */
@ApplicationScoped
public class WebhookSender {
    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final int MAX_ERROR = 512;

    @Inject
    DataSource dataSource;
    @Inject
    ParleyConfig config;
    @Inject
    MeterRegistry registry;

    private final Semaphore wake = new Semaphore(0);
    private Semaphore slots;
    private ExecutorService pool;
    private HttpClient client;
    private RetrySchedule schedule;
    private Timer latency;
    private volatile boolean running;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        ParleyConfig.Webhooks w = config.webhooks();
        schedule = new RetrySchedule(List.copyOf(w.retrySchedule()), w.retryJitter(), w.maxRetryAfter());
        slots = new Semaphore(w.concurrency());
        pool = Executors.newFixedThreadPool(w.concurrency(), r -> {
            Thread t = new Thread(r, "parley-webhook-attempt");
            t.setDaemon(true);
            return t;
        });
        client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(w.timeout())
                .version(HttpClient.Version.HTTP_1_1).build();
        latency = Timer.builder("parley.webhook.delivery.latency")
                .description("From a delivery's creation to its successful attempt").register(registry);
        running = true;
        thread = new Thread(this::run, "parley-webhook-sender");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Something may be due now (new deliveries, a redelivery). */
    public void wake() {
        wake.release();
    }

    private void run() {
        while (running) {
            try {
                int free = slots.availablePermits();
                List<Attempt> claimed = free == 0 ? List.of() : claim(free);
                for (Attempt attempt : claimed) {
                    slots.acquireUninterruptibly();
                    pool.execute(() -> {
                        try {
                            attempt(attempt);
                        } finally {
                            slots.release();
                            wake.release();
                        }
                    });
                }
                if (claimed.size() < free || free == 0) {
                    wake.tryAcquire(config.changes().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warnf("claiming webhook deliveries failed (%s)", e.toString());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private List<Attempt> claim(int limit) throws SQLException {
        // The lease outlasts the attempt's own time bound, so a live claimant always records first.
        Duration lease = config.webhooks().timeout().multipliedBy(2).plusSeconds(30);
        try (Connection c = dataSource.getConnection()) {
            return DeliveryStore.claim(c, limit, lease, Instant.now());
        }
    }

    private record Response(Integer status, String error, Optional<Duration> retryAfter) {
    }

    void attempt(Attempt a) {
        Instant now = Instant.now();
        Response response = send(a, now);
        if (response == null) {
            return; // shutting down: the lease runs out and the attempt is made again (same webhook-id)
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                outcome(c, a, response, now);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            // Left pending with its lease: claimed and sent again (same webhook-id) once the lease ends.
            LOG.warnf("recording the outcome of webhook %s failed (%s)", a.webhookId(), e.toString());
        }
    }

    private void outcome(Connection c, Attempt a, Response r, Instant now) throws SQLException {
        Integer status = r.status();
        if (status != null && status >= 200 && status < 300) {
            if (DeliveryStore.record(c, a, DeliveryStore.SUCCEEDED, status, null, null)) {
                DeliveryStore.succeeded(c, a.endpointId());
                count("succeeded");
                latency.record(Duration.between(a.createdAt(), Instant.now()));
            }
            return;
        }
        if (status != null && status == 410) {
            if (DeliveryStore.record(c, a, DeliveryStore.FAILED, status, r.error(), null)) {
                DeliveryStore.disable(c, a.endpointId(), "The endpoint answered 410 Gone at " + now, null);
                count("failed");
            }
            return;
        }
        boolean asksToWait = status != null && (status == 429 || status == 503);
        Optional<Duration> next = schedule.next(a.attempt(), asksToWait ? r.retryAfter() : Optional.empty(),
                ThreadLocalRandom.current()::nextDouble);
        if (next.isPresent()) {
            if (DeliveryStore.record(c, a, DeliveryStore.PENDING, status, r.error(), Instant.now().plus(next.get()))) {
                count("retried");
            }
        } else if (DeliveryStore.record(c, a, DeliveryStore.FAILED, status, r.error(), null)) {
            count("failed");
            DeliveryStore.disable(c, a.endpointId(), "Every attempt of " + a.webhookId() + " failed, the last at "
                    + now + ", and nothing succeeded since " + a.createdAt(), a.createdAt());
        }
    }

    private void count(String outcome) {
        registry.counter("parley.webhook.deliveries", "outcome", outcome).increment();
    }

    private Response send(Attempt a, Instant now) {
        ParleyConfig.Webhooks w = config.webhooks();
        URI uri;
        try {
            uri = EndpointUrls.check(a.url(), w.allowHttp(), w.allowPrivateAddresses());
        } catch (EndpointUrls.Refused e) {
            return new Response(null, "The URL " + e.getMessage(), Optional.empty());
        }
        long timestamp = now.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(w.timeout())
                .header("content-type", "application/json")
                .header("user-agent", "Parley-Webhooks/1")
                .header("webhook-id", a.webhookId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", Signatures.header(a.webhookId(), timestamp, a.payload(), a.secrets()))
                .POST(HttpRequest.BodyPublishers.ofString(a.payload())).build();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int max = w.maxResponseBytes();
        // Only the first bytes of the body are kept; the whole exchange is bounded by the timeout.
        CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArrayConsumer(chunk -> chunk.ifPresent(bytes -> {
                    synchronized (head) {
                        head.write(bytes, 0, Math.max(0, Math.min(bytes.length, max - head.size())));
                    }
                })));
        try {
            HttpResponse<Void> response = exchange.get(w.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            String error = null;
            if (status < 200 || status >= 300) {
                String body;
                synchronized (head) {
                    body = head.toString(StandardCharsets.UTF_8);
                }
                error = truncate("HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "")
                        + (body.isBlank() ? "" : ": " + body.strip()));
            }
            return new Response(status, error,
                    RetrySchedule.parseRetryAfter(response.headers().firstValue("retry-after").orElse(null), Instant.now()));
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return new Response(null, "No answer within " + w.timeout(), Optional.empty());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Response(null, truncate(cause.getClass().getSimpleName() + ": " + cause.getMessage()), Optional.empty());
        }
    }

    private static String truncate(String s) {
        return s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR);
    }
}
