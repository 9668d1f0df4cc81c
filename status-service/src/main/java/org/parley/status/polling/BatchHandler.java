package org.parley.status.polling;

/**
 * What an {@link OffsetTrackingLoop} does with its batches: B is a batch made ready for the store (e.g. its
 * records decoded), R what writing it reports.
 */
public interface BatchHandler<B, R> {

    /**
     * On the loop's thread, as soon as a poll is planned: a pipelined loop prepares the next batch while the
     * last one is written.
     */
    B prepare(PolledBatch batch);

    /**
     * One transaction: the batch and its next offsets, stored only if the stored ones are still those the batch
     * expected (otherwise {@link StaleOffsetsException}). May run on a writer thread.
     */
    R write(B batch) throws Exception;
}
