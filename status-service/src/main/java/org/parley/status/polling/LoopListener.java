package org.parley.status.polling;

import java.util.Collection;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * How the owner of an {@link OffsetTrackingLoop} (the live consumer, a replay) follows and steers it: B and R
 * as in its {@link BatchHandler}. Every method runs on the loop's thread.
 */
public interface LoopListener<B, R> {

    /** Before the loop's consumer is created. */
    default void opening() {
    }

    /** Partitions assigned, positioned at their stored offsets. */
    default void assigned(OffsetTrackingLoop<B, R> loop, Collection<TopicPartition> partitions) {
    }

    /**
     * A partition's log begins after its stored offset: records were deleted before they were stored. The
     * loop holds the partition paused until {@link OffsetTrackingLoop#acknowledgeGaps}.
     */
    default void gap(OffsetTrackingLoop<B, R> loop, HistoryGap gap) {
    }

    /** The held partitions go on past their gaps. */
    default void gapsAcknowledged(OffsetTrackingLoop<B, R> loop) {
    }

    /** A batch committed. */
    default void committed(OffsetTrackingLoop<B, R> loop, B batch, R outcome) {
    }

    /** Before each poll: true holds the loop (it polls only to stay in its group, and writes nothing). */
    default boolean holding(OffsetTrackingLoop<B, R> loop) {
        return false;
    }

    /** After each poll whose batch was handed over (and, unless pipelined, committed). */
    default void polled(OffsetTrackingLoop<B, R> loop, ConsumerRecords<byte[], byte[]> records) throws Exception {
    }

    /** A failed attempt (the loop backs off, then re-reads its offsets); false ends the loop. */
    default boolean failed(OffsetTrackingLoop<B, R> loop, Exception e) {
        return true;
    }

    /** A batch ran out of time: the next tries are smaller. */
    default void timedOut(OffsetTrackingLoop<B, R> loop) {
    }

    /** The loop re-read its stored offsets after a failure or a move; false ends the loop. */
    default boolean recovered(OffsetTrackingLoop<B, R> loop) {
        return true;
    }

    /** The loop ended; failure: what ended it, null for a stop. */
    default void closed(Exception failure) {
    }
}
