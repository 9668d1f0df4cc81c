package org.parley.status.polling;

import java.util.Collection;
import java.util.Map;

/**
 * The port through which an {@link OffsetTrackingLoop} reads where its tables stand (the shape of Axon's
 * TokenStore): the next offset per partition as stored beside the projections. The other half, storing them,
 * is the {@link BatchHandler}'s: each batch's next offsets are written in the batch's own transaction,
 * compare-and-set from the offsets it expected ({@link StaleOffsetsException} when they moved).
 */
public interface OffsetStore {

    /** The stored next offset per partition of the topic, read in a transaction of its own; absent: none stored. */
    Map<Integer, Long> storedOffsets(String topic, Collection<Integer> partitions);

    /** Whether a failed batch ran out of time in the store: the loop retries with fewer records. */
    boolean ranOutOfTime(Exception failure);
}
