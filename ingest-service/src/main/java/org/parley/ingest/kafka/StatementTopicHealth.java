package org.parley.ingest.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the statements topic exists (next to Quarkus' own Kafka connection check). */
@Readiness
@ApplicationScoped
public class StatementTopicHealth implements HealthCheck {
    @Inject
    StatementTopic topic;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("parley-topic").withData("topic", topic.name());
        return topic.isReady() ? response.up().build() : response.down().withData("problem", topic.problem()).build();
    }
}
