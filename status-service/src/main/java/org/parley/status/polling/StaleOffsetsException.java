package org.parley.status.polling;

/**
 * Thrown by a {@link BatchHandler}: the stored offsets are not those the batch expected (another consumer wrote
 * these partitions, or a replay's switch swapped the tables), so the batch is stale. The loop re-reads the
 * stored offsets and goes on from there, without a back-off.
 */
public class StaleOffsetsException extends RuntimeException {
    public StaleOffsetsException(String message) {
        super(message);
    }
}
