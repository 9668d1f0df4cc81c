package org.parley.status.kafka;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * DOWN while the consumer thread is gone or backing off after a failed batch. It says which, not why: the
 * exception's text (SQL, hosts) is in the log, not in an answer anyone who reaches the port can read.
 */
@Readiness
@ApplicationScoped
public class ConsumerHealthCheck implements HealthCheck {

    @Inject
    StatementConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("statement-consumer").status(consumer.healthy());
        if (!consumer.healthy()) {
            response.withData("reason", consumer.lastError() == null ? "the consumer is not running"
                    : "batches fail and are retried from the stored offsets (see the log)");
        }
        return response.build();
    }
}
