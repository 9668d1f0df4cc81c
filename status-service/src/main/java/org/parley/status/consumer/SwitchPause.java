package org.parley.status.consumer;

import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;
import org.parley.status.polling.OffsetTrackingLoop;

/**
 * A replay's switch holding the live consumer: asked to pause, the consumer finishes the batch at hand,
 * pauses every partition (still polling, so it stays in its group) and completes the request; asked to
 * resume, it re-reads its positions from the (swapped) tables. Requests come from any thread; {@link #holding}
 * runs on the loop's.
 */
final class SwitchPause {
    private static final Logger LOG = Logger.getLogger(SwitchPause.class);

    private volatile CompletableFuture<Void> request;
    private volatile boolean resumeRequested;
    // Owned by the loop thread.
    private boolean paused;

    /** running: whether a loop will see the request; otherwise it completes at once. */
    synchronized CompletableFuture<Void> pause(boolean running) {
        CompletableFuture<Void> pause = new CompletableFuture<>();
        resumeRequested = false;
        request = pause;
        if (!running) {
            pause.complete(null);
        }
        return pause;
    }

    /** running: whether a loop is there to resume; otherwise the request is simply dropped. */
    synchronized void resume(boolean running) {
        if (request == null) {
            return;
        }
        if (!running) {
            request = null;
            return;
        }
        resumeRequested = true;
    }

    /** On the loop thread, between polls: true while paused. */
    boolean holding(OffsetTrackingLoop<?, ?> loop) {
        CompletableFuture<Void> current = request;
        if (current == null) {
            return false;
        }
        if (resumeRequested) {
            synchronized (this) {
                request = null;
                resumeRequested = false;
            }
            paused = false;
            loop.repositionAndResume();
            LOG.info("resumed after the replay's switch");
            return false;
        }
        if (!paused) {
            paused = true;
            LOG.info("paused for a replay's switch");
        }
        loop.consumer().pause(loop.consumer().assignment());
        current.complete(null);
        return true;
    }

    /** Whether partitions assigned now must stay paused. Loop thread. */
    boolean paused() {
        return paused;
    }

    /** A (re)started loop begins unpaused. Loop thread. */
    void opening() {
        paused = false;
    }

    /** The loop ended: nothing is written any more, so a pending pause is granted. */
    void closed() {
        CompletableFuture<Void> current = request;
        if (current != null) {
            current.complete(null);
        }
    }
}
