package org.parley.status.feed;

import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;
import org.parley.status.persistence.ChangeFeed;
import org.parley.status.persistence.ChangeFeed.Filter;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * One open event stream. At most one write is in flight, so the socket, not the heap, holds what the
 * client has not read yet; live changes wait in a queue of at most `capacity` events. When the queue would
 * overflow it is dropped and the client is resynchronised: the rows changed after the last event it was sent
 * are read from the database (a page at a time), exactly as a reconnect with Last-Event-ID would read them.
 * A client whose write does not complete within the stall timeout is dropped.
 */
final class StreamClient {
    private static final Logger LOG = Logger.getLogger(StreamClient.class);

    private final Subscribers subscribers;
    private final SseEventSink sink;
    private final Sse sse;
    private final Filter filter;
    private final boolean detail;
    private final int capacity;
    private final Runnable reset;
    private final Context context;
    /** Whose slot this stream holds. */
    private final String address;

    private final ArrayDeque<StreamEvent> queue = new ArrayDeque<>();
    /** Rows read by the last catch-up, sent before the queue. */
    private final ArrayDeque<StreamEvent> replay = new ArrayDeque<>();
    private long lastSent;
    /** Before the queue: read what changed after lastSent from the database. */
    private boolean resync;
    private boolean catchingUp;
    private boolean sending;
    private long sendingSince;
    private long lastWrite = System.nanoTime();
    private boolean closed;

    /** from: the change_seq after which to start; catchUp: read from the database first (Last-Event-ID). */
    StreamClient(Subscribers subscribers, String address, SseEventSink sink, Sse sse, Runnable reset, Filter filter,
            boolean detail, long from, boolean catchUp) {
        this.address = address;
        this.reset = reset;
        this.context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("a stream is opened on its request's event loop");
        }
        this.subscribers = subscribers;
        this.sink = sink;
        this.sse = sse;
        this.filter = filter;
        this.detail = detail;
        this.capacity = subscribers.buffer();
        this.lastSent = from;
        this.resync = catchUp;
    }

    /** Sends the opening comment (the response headers with it), then joins the live changes. */
    void start() {
        synchronized (this) {
            sending = true;
            sendingSince = System.nanoTime();
        }
        subscribers.register(this);
        write(sse.newEventBuilder().comment("parley stream").reconnectDelay(2000).build());
    }

    String address() {
        return address;
    }

    synchronized int buffered() {
        return queue.size() + replay.size();
    }

    void offer(StreamEvent event) {
        if (!filter.test(event.change)) {
            return;
        }
        synchronized (this) {
            if (closed || event.seq() <= lastSent) {
                return;
            }
            if (queue.size() >= capacity) {
                queue.clear();
                if (!resync) {
                    resync = true;
                    subscribers.resynced();
                }
            } else if (!resync) {
                queue.add(event);
            }
        }
        pump();
    }

    private void pump() {
        StreamEvent next;
        synchronized (this) {
            if (closed || sending || catchingUp) {
                return;
            }
            next = next(replay);
            if (next == null && resync) {
                resync = false;
                catchingUp = true;
                queue.removeIf(e -> true); // everything in it is read again from the database
                subscribers.blocking().execute(this::catchUp);
                return;
            }
            if (next == null) {
                next = next(queue);
            }
            if (next == null) {
                return;
            }
            sending = true;
            sendingSince = System.nanoTime();
            lastSent = next.seq();
        }
        OutboundSseEvent event;
        try {
            event = sse.newEventBuilder().id(Long.toString(next.seq())).name(detail ? "relationship" : "summary")
                    .data(next.data(detail)).build();
        } catch (RuntimeException e) {
            LOG.error("cannot render a stream event", e);
            close();
            return;
        }
        write(event);
    }

    private StreamEvent next(ArrayDeque<StreamEvent> from) {
        StreamEvent e;
        while ((e = from.poll()) != null) {
            if (e.seq() > lastSent) {
                return e;
            }
        }
        return null;
    }

    /** On the request's own event loop: the response is not safe to write from other threads (HTTP/2 above all). */
    private void write(OutboundSseEvent event) {
        context.runOnContext(v -> writeHere(event));
    }

    private void writeHere(OutboundSseEvent event) {
        CompletionStage<?> written;
        try {
            written = sink.send(event);
        } catch (RuntimeException e) { // closed meanwhile
            close();
            return;
        }
        written.whenComplete((ok, failure) -> {
            synchronized (this) {
                sending = false;
                lastWrite = System.nanoTime();
            }
            if (failure != null) {
                close();
            } else {
                pump();
            }
        });
    }

    private void catchUp() {
        long from;
        synchronized (this) {
            from = lastSent;
        }
        List<ChangeFeed.Change> rows;
        try (Connection c = subscribers.dataSource().getConnection()) {
            rows = ChangeFeed.since(c, from, filter, capacity);
        } catch (Exception e) {
            LOG.warnf("stream catch-up failed (%s); retrying", e.getMessage());
            synchronized (this) {
                catchingUp = false;
                resync = true; // the next tick tries again
            }
            return;
        }
        synchronized (this) {
            catchingUp = false;
            rows.forEach(row -> replay.add(new StreamEvent(row, subscribers.json())));
            if (rows.size() == capacity) {
                resync = true; // more after this page
            }
        }
        pump();
    }

    /** From the streams' timer: closed sockets, stalled writes, heartbeats, a catch-up to retry. */
    void tick() {
        long now = System.nanoTime();
        boolean gone = false, stalled = false, beat = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (sink.isClosed()) {
                gone = true;
            } else if (sending) {
                if (now - sendingSince <= subscribers.stallTimeout().toNanos()) {
                    return;
                }
                stalled = true;
            } else if (now - lastWrite >= subscribers.heartbeat().toNanos()) {
                beat = true;
                sending = true;
                sendingSince = now;
            }
        }
        if (gone) {
            close();
        } else if (stalled) {
            LOG.debugf("dropping a stream client that has not read for %s", subscribers.stallTimeout());
            subscribers.droppedOne();
            close(true);
        } else if (beat) {
            write(sse.newEventBuilder().comment("heartbeat").build());
        } else {
            pump();
        }
    }

    void close() {
        close(false);
    }

    /** abort: also reset the stream (HTTP/1.1: close the connection), for a client that stopped reading. */
    private void close(boolean abort) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            replay.clear();
        }
        subscribers.closed(this);
        context.runOnContext(v -> {
            try {
                if (abort) {
                    reset.run(); // a client that stopped reading would otherwise keep the socket and its buffers
                }
                sink.close();
            } catch (RuntimeException e) {
                LOG.debugf("closing a stream: %s", e);
            }
        });
    }
}
