package org.parley.status.kafka;

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
        String error = consumer.lastError();
        if (!consumer.healthy() && error != null) {
            response.withData("lastError", error);
        }
        if (dlqError != null) {
            response.withData("dlq", "cannot be written: " + dlqError);
        }
        return response.build();
    }
}
