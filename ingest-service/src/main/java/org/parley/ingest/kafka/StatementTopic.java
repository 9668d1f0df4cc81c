package org.parley.ingest.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;
import org.parley.ingest.ParleyConfig;
import org.parley.support.kafka.KafkaClients;

import io.quarkus.runtime.StartupEvent;

/**
 * Creates the statements topic at start-up if it is missing. A broker that is down at start-up does not stop
 * the service: it keeps retrying in the background and stays not-ready meanwhile. Publishing waits for the
 * topic, because a send to a missing topic could let the broker auto-create it with the wrong partition count.
 */
@ApplicationScoped
public class StatementTopic {
    private static final Logger LOG = Logger.getLogger(StatementTopic.class);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(15);

    @Inject
    KafkaClients clients;

    @Inject
    ParleyConfig config;

    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile String problem = "not checked yet";
    private ScheduledExecutorService retries;

    void onStart(@Observes StartupEvent event) {
        if (!ensure()) {
            retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "parley-topic-init");
                thread.setDaemon(true);
                return thread;
            });
            retryAfter(Duration.ofSeconds(1));
        }
    }

    @PreDestroy
    void stop() {
        if (retries != null) {
            retries.shutdownNow();
        }
    }

    public String name() {
        return config.topic().name();
    }

    /** True once the topic exists; waits up to {@code wait} for it. */
    public boolean awaitReady(Duration wait) {
        try {
            ready.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isReady() {
        return ready.isDone();
    }

    /** Why the topic is not ready, for the readiness check. */
    public String problem() {
        return problem;
    }

    private void retryAfter(Duration delay) {
        retries.schedule(() -> {
            if (!ensure()) {
                Duration next = delay.multipliedBy(2);
                retryAfter(next.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : next);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean ensure() {
        ParleyConfig.Topic wanted = config.topic();
        String name = wanted.name();
        int partitions = wanted.partitions();
        short replicationFactor = wanted.replicationFactor();
        Map<String, Object> adminConfig = clients.admin();
        int millis = (int) config.kafka().maxBlock().toMillis();
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "parley-ingest-admin");
        Admin admin = Admin.create(adminConfig);
        try {
            Map<String, String> topicConfig = new HashMap<>();
            // The topic is the source of truth: never let a broker default (7 days) expire history.
            topicConfig.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
            wanted.minInsyncReplicas().ifPresent(n -> topicConfig.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, n.toString()));
            NewTopic topic = new NewTopic(name, partitions, replicationFactor).configs(topicConfig);
            try {
                admin.createTopics(List.of(topic)).all().get(millis, TimeUnit.MILLISECONDS);
                LOG.infof("Created topic %s with %d partitions, replication factor %d%s", name, partitions,
                        replicationFactor, topicConfig.isEmpty() ? "" : ", " + topicConfig);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                TopicDescription existing = admin.describeTopics(List.of(name)).allTopicNames()
                        .get(millis, TimeUnit.MILLISECONDS).get(name);
                if (existing.partitions().size() != partitions) {
                    LOG.warnf("Topic %s exists with %d partitions, not the configured %d; using it as it is", name,
                            existing.partitions().size(), partitions);
                }
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                ConfigEntry retention = admin.describeConfigs(List.of(resource)).all().get(millis, TimeUnit.MILLISECONDS)
                        .get(resource).get(TopicConfig.RETENTION_MS_CONFIG);
                if (retention != null && !"-1".equals(retention.value())) {
                    LOG.warnf("Topic %s exists with retention.ms=%s: statements older than that will be deleted, and "
                            + "with them the history projections are rebuilt from; set retention.ms=-1", name, retention.value());
                }
            }
            ready.complete(null);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            // The readiness check shows what is wrong, not the exception's text (hosts, internals): that is logged.
            problem = cause instanceof org.apache.kafka.common.errors.TimeoutException
                    || cause instanceof java.util.concurrent.TimeoutException
                            ? "the broker did not answer within " + millis + " ms"
                            : "the broker refused to create or describe the topic";
            LOG.warnf("Topic %s is not ready (%s); retrying in the background", name, cause.toString());
            return false;
        } finally {
            admin.close(Duration.ZERO);
        }
    }
}
