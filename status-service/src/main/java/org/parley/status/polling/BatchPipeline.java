package org.parley.status.polling;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * How an {@link OffsetTrackingLoop} hands its prepared batches to the handler: written at once on the loop's
 * thread, or (pipelined) on a writer thread while the loop polls and prepares the next one, at most one in
 * flight.
 */
final class BatchPipeline<B, R> {
    private static final Logger LOG = Logger.getLogger(BatchPipeline.class);

    /** A batch written: as planned, as prepared, and what the write reported. */
    record Done<B, R>(PolledBatch planned, B batch, R outcome) {
    }

    private final BatchHandler<B, R> handler;
    private final ExecutorService writer;
    private final Consumer<Done<B, R>> onCommit;
    private Future<Done<B, R>> inFlight;

    BatchPipeline(String name, BatchHandler<B, R> handler, boolean pipelined, Consumer<Done<B, R>> committed) {
        this.handler = handler;
        this.onCommit = committed;
        this.writer = !pipelined ? null : Executors.newSingleThreadExecutor(task -> {
            Thread writing = new Thread(task, name + "-writer");
            writing.setDaemon(true);
            return writing;
        });
    }

    /** Writes the prepared batch (pipelined: starts writing it; {@link #settle} waits for it). */
    void hand(PolledBatch planned, B batch) throws Exception {
        if (writer == null) {
            onCommit.accept(new Done<>(planned, batch, handler.write(batch)));
        } else {
            inFlight = writer.submit(() -> new Done<>(planned, batch, handler.write(batch)));
        }
    }

    /** Waits for the batch in flight and reports its commit; throws what its write threw. */
    void settle() throws Exception {
        Future<Done<B, R>> pending = inFlight;
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
        Future<Done<B, R>> pending = inFlight;
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
