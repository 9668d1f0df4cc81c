package org.parley.status.feed;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.parley.status.ParleyConfig;
import org.parley.status.persistence.ChangeFeed;
import org.parley.status.persistence.ChangeFeed.Change;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * This instance's ear on the change feed: one dedicated JDBC connection (not from the pool, which would take
 * it back) that LISTENs on {@link ChangeFeed#CHANNEL}. Whichever instance committed a projection change, the
 * NOTIFY arrives here and the changed rows are read once (change_seq > the last one seen) and handed to the
 * sinks (the streams and long-polls of this instance). Notifications are not stored: after (re)connecting it
 * re-reads from the last change seen, so a lost connection loses nothing; a periodic re-read covers a
 * connection that died silently.
 */
@ApplicationScoped
public class ChangeListener {
    private static final Logger LOG = Logger.getLogger(ChangeListener.class);
    private static final int PAGE = 500;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "")
    String password;
    /** Re-read even without a notification this often (also proves the connection alive). */
    Duration recheck;

    private final List<Consumer<List<Change>>> sinks = new CopyOnWriteArrayList<>();
    private volatile long seen = -1;
    private volatile boolean running;
    private volatile Connection connection;
    private Thread thread;

    @Inject
    void configure(ParleyConfig config) {
        recheck = config.stream().listenerRecheck();
    }

    /** Receives every change read, in change_seq order, on the listener's thread (must not block). */
    public void addSink(Consumer<List<Change>> sink) {
        sinks.add(sink);
    }

    /** The highest change_seq handed to the sinks (-1 before the first read). */
    public long seen() {
        return seen;
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "parley-change-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debugf("closing the listener connection: %s", e);
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        long backoff = 100;
        while (running) {
            try (Connection c = connect()) {
                connection = c;
                c.setAutoCommit(true);
                ChangeFeed.listen(c);
                if (seen < 0) {
                    seen = ChangeFeed.latest(c); // a fresh instance streams what happens from now on
                } else {
                    read(c); // what changed while the connection was down
                }
                backoff = 100;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications((int) recheck.toMillis());
                    if (notifications == null || notifications.length == 0 || newer(notifications)) {
                        read(c);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("change listener lost its connection (%s); reconnecting in %d ms", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5_000);
            } finally {
                connection = null;
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", "parley-change-listener");
        properties.setProperty("tcpKeepAlive", "true");
        Connection c = new Driver().connect(url, properties);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + url);
        }
        return c;
    }

    /** Whether any notification may tell of a change not read yet (payload {"seq":N,...}; null N: re-read). */
    private boolean newer(PGNotification[] notifications) {
        for (PGNotification n : notifications) {
            String payload = n.getParameter();
            int at = payload.indexOf("\"seq\":");
            if (at < 0) {
                return true;
            }
            int end = at + 6;
            while (end < payload.length() && Character.isDigit(payload.charAt(end))) {
                end++;
            }
            if (end == at + 6 || Long.parseLong(payload.substring(at + 6, end)) > seen) {
                return true;
            }
        }
        return false;
    }

    private void read(Connection c) throws SQLException {
        List<Change> page;
        do {
            page = ChangeFeed.since(c, seen, ChangeFeed.Filter.ALL, PAGE);
            if (!page.isEmpty()) {
                seen = page.get(page.size() - 1).seq();
                for (Consumer<List<Change>> sink : sinks) {
                    try {
                        sink.accept(page);
                    } catch (RuntimeException e) {
                        LOG.error("a change sink failed", e);
                    }
                }
            }
        } while (page.size() == PAGE);
    }
}
