package org.parley.ingest.kafka;

/**
 * The broker did not acknowledge in time (or refused): the event is not known to be durable. The client
 * gets a 503 and may retry with the same eventId, which is safe because eventId is the idempotency key.
 */
public class PublishFailedException extends RuntimeException {
    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
