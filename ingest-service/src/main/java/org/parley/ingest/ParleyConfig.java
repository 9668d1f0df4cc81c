package org.parley.ingest;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

/**
 * Parley's settings for ingest-service (parley.* in application.properties, which holds every value and its
 * environment override; nothing is defaulted here). Each setting is bound here once.
 */
@ConfigMapping(prefix = "parley")
public interface ParleyConfig {

    /** The statements topic, created at start-up when missing. */
    Topic topic();

    Kafka kafka();

    Ingest ingest();

    CloudEvents cloudevents();

    TokenCache tokenCache();

    /** Whether the published development tokens may be accepted (true only in the development setups). */
    boolean allowDevelopmentTokens();

    interface Topic {
        /** parley.topic itself. */
        @WithParentName
        String name();

        int partitions();

        short replicationFactor();

        /** Absent: the broker's default. */
        Optional<Integer> minInsyncReplicas();
    }

    /** The producers' settings; acks=all and idempotence are fixed in code. */
    interface Kafka {
        Duration linger();

        Duration requestTimeout();

        Duration deliveryTimeout();

        /** How long a send, the topic's creation or the broker check may wait for the broker. */
        Duration maxBlock();

        /** One deadline for a whole batch: committed or 503 by then. */
        Duration batchTimeout();

        /** How long an open transaction of a crashed instance holds back read_committed readers. */
        Duration transactionTimeout();

        /** Batches in flight at once: one transactional producer each. */
        int transactionalProducers();

        String transactionalIdPrefix();

        /** The broker principal (service-support's BrokerCredentials applies it to every client); absent: no SASL. */
        Optional<String> username();

        Optional<String> password();

        /** SASL_PLAINTEXT when absent; SASL_SSL where the broker's listener has TLS. */
        Optional<String> securityProtocol();

        /** SCRAM-SHA-512 when absent. */
        Optional<String> saslMechanism();

        /** Production may start without credentials (a development broker without SASL). */
        boolean allowAnonymous();
    }

    interface Ingest {
        /** What a 503 tells the client to wait (Retry-After). */
        Duration retryAfter();
    }

    /** Bearer tokens already verified (security/VerifiedTokens). */
    interface TokenCache {
        /** How long a verified token is taken as verified without checking it again (never past its exp). */
        Duration maxAge();

        /** How many verified tokens are kept at most. */
        int size();
    }

    interface CloudEvents {
        /** The ce_source of every record. */
        String source();
    }
}
