package org.parley.status.consumer;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Not ready while a partition is held at a history gap: records were deleted before they were stored, so
 * the projections would silently miss them. Ready again once an operator acknowledges it.
 */
@Readiness
@ApplicationScoped
public class HistoryGapCheck implements HealthCheck {

    @Inject
    StatementConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        var gaps = consumer.gaps();
        var response = HealthCheckResponse.named("statement-history").status(gaps.isEmpty());
        gaps.values().forEach(gap -> response.withData("partition-" + gap.partition(), gap.describe()));
        return response.build();
    }
}
