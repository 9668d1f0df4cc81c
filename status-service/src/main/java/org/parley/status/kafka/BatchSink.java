package org.parley.status.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.parley.status.persistence.ProjectionWriter.Outcome;

import java.util.Collection;

/**
 * What an {@link OffsetTrackingLoop} does with its batches, and how it reacts to the loop's events. Every
 * method but {@link #write} runs on the loop's thread.
 */
public interface BatchSink {

    /** One transaction: the batch's statements, projections and next offsets (fenced). May run on a writer thread. */
    Outcome write(PolledBatch batch) throws Exception;

    /** Before the loop's consumer is created. */
    default void opening() {
    }

    /** Partitions assigned, positioned at their stored offsets. */
    default void assigned(OffsetTrackingLoop loop, Collection<TopicPartition> partitions) {
    }

    /** A batch committed. */
    default void committed(OffsetTrackingLoop loop, PolledBatch batch, Outcome outcome) {
    }

    /** Before each poll: true holds the loop (it polls only to stay in its group, and writes nothing). */
    default boolean holding(OffsetTrackingLoop loop) {
        return false;
    }

    /** After each poll whose batch was handed over (and, unless pipelined, committed). */
    default void polled(OffsetTrackingLoop loop, ConsumerRecords<byte[], byte[]> records) throws Exception {
    }

    /** A failed attempt (the loop backs off, then re-reads its offsets); false ends the loop. */
    default boolean failed(OffsetTrackingLoop loop, Exception e) {
        return true;
    }

    /** The loop re-read its stored offsets after a failure or a move; false ends the loop. */
    default boolean recovered(OffsetTrackingLoop loop) {
        return true;
    }

    /** The loop ended; failure: what ended it, null for a stop. */
    default void closed(Exception failure) {
    }
}
