package org.parley.status.kafka;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** DOWN while the consumer thread is gone or backing off after a failed batch. */
@Readiness
@ApplicationScoped
public class ConsumerHealthCheck implements HealthCheck {

    @Inject
    StatementConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("statement-consumer").status(consumer.healthy());
        String error = consumer.lastError();
        if (!consumer.healthy() && error != null) {
            response.withData("lastError", error);
        }
        return response.build();
    }
}
