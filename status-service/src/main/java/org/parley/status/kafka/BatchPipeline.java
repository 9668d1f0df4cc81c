package org.parley.status.kafka;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.jboss.logging.Logger;
import org.parley.status.persistence.ProjectionWriter.Outcome;

/**
 * How an {@link OffsetTrackingLoop} hands its batches to the sink: written at once on the loop's thread, or
 * (pipelined) on a writer thread while the loop polls and parses the next one, at most one in flight.
 */
final class BatchPipeline {
    private static final Logger LOG = Logger.getLogger(BatchPipeline.class);

    private record Done(PolledBatch batch, Outcome outcome) {
    }

    private final BatchSink sink;
    private final ExecutorService writer;
    private final Consumer<Done> onCommit;
    private Future<Done> inFlight;

    BatchPipeline(String name, BatchSink sink, boolean pipelined, BiConsumer<PolledBatch, Outcome> committed) {
        this.sink = sink;
        this.onCommit = done -> committed.accept(done.batch(), done.outcome());
        this.writer = !pipelined ? null : Executors.newSingleThreadExecutor(task -> {
            Thread writing = new Thread(task, name + "-writer");
            writing.setDaemon(true);
            return writing;
        });
    }

    /** Writes the batch (pipelined: starts writing it; {@link #settle} waits for it). */
    void hand(PolledBatch batch) throws Exception {
        if (writer == null) {
            onCommit.accept(new Done(batch, sink.write(batch)));
        } else {
            inFlight = writer.submit(() -> new Done(batch, sink.write(batch)));
        }
    }

    /** Waits for the batch in flight and reports its commit; throws what its write threw. */
    void settle() throws Exception {
        Future<Done> pending = inFlight;
        if (pending == null) {
            return;
        }
        inFlight = null;
        try {
            onCommit.accept(pending.get());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Lets the batch in flight end (committed or not: the database tells) before rewinding or leaving. */
    void settleQuietly() {
        Future<Done> pending = inFlight;
        inFlight = null;
        if (pending != null) {
            try {
                pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.debugf("the batch in flight failed: %s", e.getCause());
            }
        }
    }

    void close() {
        settleQuietly();
        if (writer != null) {
            writer.shutdownNow();
        }
    }
}
