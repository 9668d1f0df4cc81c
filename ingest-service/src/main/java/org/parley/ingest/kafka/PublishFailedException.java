package org.parley.ingest.kafka;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;

/**
 * The broker did not acknowledge in time (or refused): the events are not known to be durable. The client
 * gets a 503 naming their eventIds and may retry: eventId is the idempotency key, and a body sent without one
 * gets the same derived eventId again.
 */
public class PublishFailedException extends RuntimeException {
    private final List<UUID> eventIds;

    public PublishFailedException(String message, Throwable cause) {
        this(message, cause, List.of());
    }

    private PublishFailedException(String message, Throwable cause, List<UUID> eventIds) {
        super(message, cause);
        this.eventIds = List.copyOf(eventIds);
    }

    /** The events this failure leaves unacknowledged. */
    public List<UUID> eventIds() {
        return eventIds;
    }

    /** This failure, naming the events it concerns; any other error is passed on as it is. */
    public static RuntimeException concerning(Throwable error, List<UUID> eventIds) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof PublishFailedException failed) {
            return new PublishFailedException(failed.getMessage(), failed.getCause(), eventIds);
        }
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }
}
