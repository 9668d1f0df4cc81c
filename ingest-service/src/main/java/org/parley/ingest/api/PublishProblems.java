package org.parley.ingest.api;

import java.util.Map;
import java.util.concurrent.CompletionException;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.parley.ingest.ParleyConfig;
import org.parley.ingest.kafka.PublishFailedException;
import org.parley.support.http.ProblemException;
import org.parley.support.http.ProblemMappers;

import io.quarkus.runtime.Startup;

/**
 * The answers of a publish that failed, beside the shared problem+json mappers. Created at start-up: a single
 * POST fails on the Kafka producer's thread, where a bean created lazily cannot look its configuration up.
 */
@Singleton
@Startup
public class PublishProblems {

    @Inject
    ParleyConfig config;

    @ServerExceptionMapper
    public Response unavailable(PublishFailedException e) {
        return ProblemException.unavailable("The broker did not acknowledge in time, so nothing is promised: retry later "
                + "with the same eventId (retrying is safe, eventId is the idempotency key; a body sent without one "
                + "gets the same one again)", config.ingest().retryAfter(), Map.of("eventIds", e.eventIds())).toResponse();
    }

    /** What the asynchronous publish path fails with: its cause decides the answer. */
    @ServerExceptionMapper
    public Response completion(CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof PublishFailedException failed) {
            return unavailable(failed);
        }
        if (cause instanceof ProblemException problem) {
            return problem.toResponse();
        }
        return ProblemMappers.unexpectedError(cause != null ? cause : e);
    }
}
