package org.parley.status.consumer;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The consumer's own health, apart from readiness (reads need PostgreSQL only): /q/health/group/consumer.
 * DOWN while the consumer thread is gone, backing off after a failed batch, or cannot write the DLQ; the
 * lag is reported with it.
 */
@HealthGroup("consumer")
@ApplicationScoped
public class ConsumerHealthCheck implements HealthCheck {

    @Inject
    StatementConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        String dlqError = consumer.dlqError();
        boolean up = consumer.healthy() && dlqError == null;
        var response = HealthCheckResponse.named("statement-consumer").status(up).withData("lag", consumer.lag());
        // Which, not why: the exception's text (SQL, hosts) stays in the log, out of reach of anyone on the port.
        if (!consumer.healthy()) {
            response.withData("reason", consumer.lastError() == null ? "the consumer is not running"
                    : "batches fail and are retried from the stored offsets (see the log)");
        }
        if (dlqError != null) {
            response.withData("dlq", "the dead-letter topic cannot be written (see the log)");
        }
        return response.build();
    }
}
