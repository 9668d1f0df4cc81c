package org.parley.status;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Min;

/**
 * Parley's settings for status-service (parley.* in application.properties, which holds every value and
 * its environment override; nothing is defaulted here).
 */
@ConfigMapping(prefix = "parley")
public interface ParleyConfig {

    /** The statements topic, written by ingest-service. */
    String topic();

    /** Where records that break the contract go. */
    String dlqTopic();

    Consumer consumer();

    Replay replay();

    Admin admin();

    /** The broker principal: read by service-support's kafka/BrokerCredentials and BrokerCredentialsCheck. */
    BrokerLogin kafka();

    Read read();

    Refold refold();

    /** Whether the published development tokens may be accepted (true only in the development setups). */
    boolean allowDevelopmentTokens();

    /** Read by persistence/DatabasePasswordCheck. */
    Database database();

    Stream stream();

    Changes changes();

    Webhooks webhooks();

    interface Consumer {
        String group();

        int maxPollRecords();

        /** How often a consumer started behind the end of the topic logs its progress. */
        Duration progressInterval();

        /**
         * Static membership (group.instance.id): stable across restarts and unique per instance, so that a
         * restarted instance takes its partitions back at once. Absent: dynamic membership.
         */
        Optional<String> instanceId();

        /**
         * How long one batch's SQL may run (statement_timeout; the transaction a little longer). A batch that
         * times out is retried smaller, halving down to one record, then grows back.
         */
        Duration batchTimeout();

        /** How long the group waits for a silent member before its partitions move to another. */
        Duration sessionTimeout();

        /**
         * Projections the live writer remembers as it wrote them, so as not to read and parse their JSON back in the
         * next batches (each is used only while the row is still that version: its xmin). 0: none.
         */
        int rememberedProjections();
    }

    interface Replay {
        int maxPollRecords();

        Duration progressInterval();

        /** How long the live consumer may stay paused while the replay drains to the end offsets. */
        Duration switchTimeout();

        /** How long the switch waits for the live tables' locks before it gives up and tries again. */
        Duration lockTimeout();

        /** As consumer.batch-timeout, for the replay's larger batches. */
        Duration batchTimeout();

        /**
         * How long the one transaction that ends a replay's bulk load may take: the statement table's keys and
         * indexes built, every relationship folded once (about a minute per million statements on 2 cores).
         */
        Duration finishTimeout();

        /** Projections a replay keeps in memory as last written, so as not to read them back every batch. */
        int cachedProjections();

        /**
         * How often every instance looks for an active replay that no runner holds (its instance died, or its
         * lock's database session was lost) and takes it over.
         */
        Duration takeoverCheck();
    }

    interface Refold {
        /**
         * A snapshot of a relationship's fold state every this many statements in effect: a late statement or a
         * correction rereads at most about this many statements before it (and every statement after it).
         */
        @Min(1)
        int snapshotInterval();
    }

    /** HTTP reads, on their own pool (datasource `reads`), apart from the fold's. */
    interface Read {
        /** What a 503 tells a reader to wait (Retry-After) while PostgreSQL is unreachable or reads are busy. */
        Duration retryAfter();

        /** How long a read waits for a connection of its pool before it answers 503. */
        Duration acquisitionTimeout();

        /** statement_timeout on the reads' connections: a read that runs longer answers 503. */
        Duration statementTimeout();
    }

    interface Database {
        /** PostgreSQL authenticates this service without a password (client certificates, IAM): none is required. */
        boolean passwordless();
    }

    interface BrokerLogin {
        Optional<String> username();

        Optional<String> password();

        /** SASL_PLAINTEXT when absent; SASL_SSL where the broker's listener has TLS. */
        Optional<String> securityProtocol();

        /** SCRAM-SHA-512 when absent. */
        Optional<String> saslMechanism();

        /** Production may start without credentials (a development broker without SASL). */
        boolean allowAnonymous();
    }

    interface Admin {
        /** Operators' bearer tokens, comma separated; none: every admin call is refused. */
        Optional<String> tokens();
    }

    /** The SSE streams and long-polls (feed/Subscribers) and the change listener. */
    interface Stream {
        /** Open streams and held long-polls per instance, all clients together; beyond it 503. */
        @Min(1)
        int maxConnections();

        /** Open streams and held long-polls per client address; beyond it 429. */
        @Min(1)
        int maxPerClient();

        /**
         * Peer addresses (exact, as the connection shows them) of proxies trusted to set X-Forwarded-For; a
         * request through one counts against the nearest forwarded address that is not a trusted proxy.
         * Absent: X-Forwarded-For is ignored.
         */
        Optional<Set<String>> trustedProxies();

        /** What a 429 or 503 for a stream or long-poll tells the client to wait (Retry-After). */
        Duration retryAfter();

        /** Events queued per client; past it the client is resynchronised from the database. */
        int buffer();

        /** A comment on a stream this long silent. */
        Duration heartbeat();

        /** A client whose write has not completed this long is dropped. */
        Duration stallTimeout();

        /** How often the change listener re-reads without a notification. */
        Duration listenerRecheck();
    }

    /** The relay of the change outbox to Kafka (changes/ChangeRelay). */
    interface Changes {
        /** The topic every committed change goes to (the outgoing channel relationship-changes writes it). */
        String topic();

        /** Changes published per round; the relay records its position after the broker acknowledged them all. */
        @Min(1)
        int batch();

        /** How long a round waits for the broker's acknowledgements before it gives up and retries. */
        Duration ackTimeout();

        /** How often the relay and the webhook dispatcher look at the outbox without being woken. */
        Duration pollInterval();

        /** How long a change stays in the outbox after every reader passed it (then it is deleted). */
        Duration retention();
    }

    /** Webhook endpoints and deliveries (webhooks/). */
    interface Webhooks {
        /** Delays before each attempt after the first (Standard Webhooks: 5s, 5m, 30m, 2h, 5h, 10h, 14h, 20h, 24h). */
        java.util.List<Duration> retrySchedule();

        /** Each delay is moved by up to this fraction either way, so failed deliveries do not retry in step. */
        double retryJitter();

        /** Connect and response timeout of one attempt. */
        Duration timeout();

        /** Attempts sent at once per instance. */
        @Min(1)
        int concurrency();

        /** Response bytes read (and kept, for the delivery's last_error) at most. */
        @Min(0)
        int maxResponseBytes();

        /** How long the previous secret still signs after a rotation. */
        Duration rotationOverlap();

        /** Whether http:// endpoints may be registered (development only; production wants https). */
        boolean allowHttp();

        /** Whether endpoints may resolve to loopback, link-local or private addresses (development only). */
        boolean allowPrivateAddresses();

        /** A Retry-After longer than this is shortened to it. */
        Duration maxRetryAfter();

        /** How long finished (succeeded or failed) deliveries are kept, for replay and redelivery. */
        Duration retention();
    }
}
