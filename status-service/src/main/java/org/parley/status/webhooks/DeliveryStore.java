package org.parley.status.webhooks;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.parley.status.persistence.ChangeOutbox.Change;

/**
 * The SQL of webhook deliveries (webhook_delivery, V8__webhooks.sql). A delivery is created once per change
 * and matching endpoint, with a fixed body and id; attempts are claimed with FOR UPDATE SKIP LOCKED and leased
 * (next_attempt_at moved past the attempt's timeout) in one committed statement, so no two instances send the
 * same attempt at once, and an instance that dies mid-attempt leaves it to be claimed again after the lease.
 * Results are written only by the claimant of that attempt (attempts unchanged since the claim).
 */
public final class DeliveryStore {
    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final Set<String> STATES = Set.of(PENDING, SUCCEEDED, FAILED);

    /** An enabled endpoint's filters, as the dispatcher matches changes against them. */
    record Subscriber(UUID id, Set<String> parties, Set<String> statuses, Set<String> kinds, long fromChangeSeq) {
        boolean wants(Change c) {
            return c.seq() > fromChangeSeq
                    && (parties.isEmpty() || parties.contains(c.partyA()) || parties.contains(c.partyB()))
                    && (statuses.isEmpty() || statuses.contains(c.statusAfter()))
                    && (kinds.isEmpty() || c.causeType() != null && kinds.contains(c.causeType()));
        }
    }

    /** One claimed attempt: what to send, where, signed with which secrets. */
    record Attempt(UUID id, UUID endpointId, String payload, int attempt, Instant createdAt, String url,
            List<String> secrets) {
        String webhookId() {
            return "msg_" + id;
        }
    }

    /** A delivery as the admin API shows it. */
    public record Delivery(UUID id, String webhookId, long changeNumber, String status, int attempts,
            Instant createdAt, Instant lastAttemptAt, Integer lastResponseStatus, String lastError,
            Instant nextAttemptAt) {
    }

    private DeliveryStore() {
    }

    static List<Subscriber> subscribers(Connection c) throws SQLException {
        List<Subscriber> subscribers = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, parties, statuses, event_kinds, from_change_seq FROM webhook_endpoint WHERE enabled");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                subscribers.add(new Subscriber(rs.getObject(1, UUID.class), strings(rs.getArray(2)),
                        strings(rs.getArray(3)), strings(rs.getArray(4)), rs.getLong(5)));
            }
        }
        return subscribers;
    }

    /** Creates the deliveries of these changes (due now); returns how many. */
    static int fanOut(Connection c, List<Change> changes, List<Subscriber> subscribers, Function<Change, String> body)
            throws SQLException {
        int created = 0;
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO webhook_delivery (id, endpoint_id,"
                + " change_seq, payload, status, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', now(),"
                + " now()) ON CONFLICT (endpoint_id, change_seq) DO NOTHING")) {
            for (Change change : changes) {
                String payload = null;
                for (Subscriber subscriber : subscribers) {
                    if (subscriber.wants(change)) {
                        payload = payload == null ? body.apply(change) : payload;
                        insert.setObject(1, UUID.randomUUID());
                        insert.setObject(2, subscriber.id());
                        insert.setLong(3, change.seq());
                        insert.setString(4, payload);
                        insert.addBatch();
                        created++;
                    }
                }
            }
            if (created > 0) {
                insert.executeBatch();
            }
        }
        return created;
    }

    static List<Attempt> claim(Connection c, int limit, Duration lease, Instant now) throws SQLException {
        List<Attempt> attempts = new ArrayList<>();
        try (PreparedStatement claim = c.prepareStatement("UPDATE webhook_delivery d SET attempts = d.attempts + 1,"
                + " last_attempt_at = now(), next_attempt_at = now() + ? * interval '1 millisecond'"
                + " FROM webhook_endpoint e WHERE e.id = d.endpoint_id AND d.id IN (SELECT x.id FROM"
                + " webhook_delivery x JOIN webhook_endpoint y ON y.id = x.endpoint_id WHERE x.status = 'pending'"
                + " AND x.next_attempt_at <= now() AND y.enabled ORDER BY x.next_attempt_at LIMIT ?"
                + " FOR UPDATE OF x SKIP LOCKED) RETURNING d.id, d.endpoint_id, d.payload, d.attempts, d.created_at,"
                + " e.url, e.secret, e.previous_secret, e.previous_secret_until")) {
            claim.setLong(1, lease.toMillis());
            claim.setInt(2, limit);
            try (ResultSet rs = claim.executeQuery()) {
                while (rs.next()) {
                    attempts.add(new Attempt(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getInt(4), instant(rs, 5), rs.getString(6),
                            WebhookEndpoint.signingSecrets(rs.getString(7), rs.getString(8), instant(rs, 9), now)));
                }
            }
        }
        return attempts;
    }

    /** Records an attempt's outcome; false when the attempt is no longer this claimant's (lease lost). */
    static boolean record(Connection c, Attempt a, String status, Integer response, String error, Instant next)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE webhook_delivery SET status = ?,"
                + " last_response_status = ?, last_error = ?, next_attempt_at = coalesce(?, next_attempt_at)"
                + " WHERE id = ? AND attempts = ? AND status = 'pending'")) {
            update.setString(1, status);
            update.setObject(2, response);
            update.setString(3, error);
            update.setTimestamp(4, next == null ? null : Timestamp.from(next));
            update.setObject(5, a.id());
            update.setInt(6, a.attempt());
            return update.executeUpdate() == 1;
        }
    }

    static void succeeded(Connection c, UUID endpoint) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE webhook_endpoint SET last_success_at = now() WHERE id = ?")) {
            update.setObject(1, endpoint);
            update.executeUpdate();
        }
    }

    /** Disables the endpoint; with since, only if nothing succeeded since then (a days-long failure). */
    static boolean disable(Connection c, UUID endpoint, String reason, Instant since) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE webhook_endpoint SET enabled = false,"
                + " disabled_reason = ? WHERE id = ? AND enabled AND (CAST(? AS timestamptz) IS NULL"
                + " OR last_success_at IS NULL OR last_success_at < ?)")) {
            Timestamp at = since == null ? null : Timestamp.from(since);
            update.setString(1, reason);
            update.setObject(2, endpoint);
            update.setTimestamp(3, at);
            update.setTimestamp(4, at);
            return update.executeUpdate() == 1;
        }
    }

    public static List<Delivery> list(Connection c, UUID endpoint, String status, int limit) throws SQLException {
        List<Delivery> deliveries = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, change_seq, status, attempts, created_at,"
                + " last_attempt_at, last_response_status, last_error, next_attempt_at FROM webhook_delivery"
                + " WHERE endpoint_id = ? AND (CAST(? AS text) IS NULL OR status = ?) ORDER BY change_seq DESC LIMIT ?")) {
            s.setObject(1, endpoint);
            s.setString(2, status);
            s.setString(3, status);
            s.setInt(4, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    String state = rs.getString(3);
                    deliveries.add(new Delivery(id, "msg_" + id, rs.getLong(2), state, rs.getInt(4), instant(rs, 5),
                            instant(rs, 6), (Integer) rs.getObject(7), rs.getString(8),
                            PENDING.equals(state) ? instant(rs, 9) : null));
                }
            }
        }
        return deliveries;
    }

    /** Makes deliveries of the endpoint due again (same ids, attempts counted anew); returns how many. */
    public static int redeliver(Connection c, UUID endpoint, UUID delivery, Instant from, Instant to)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE webhook_delivery SET status = 'pending',"
                + " attempts = 0, next_attempt_at = now() WHERE endpoint_id = ? AND status <> 'pending'"
                + " AND (CAST(? AS uuid) IS NULL OR id = ?)"
                + " AND (CAST(? AS timestamptz) IS NULL OR created_at >= ?)"
                + " AND (CAST(? AS timestamptz) IS NULL OR created_at < ?)")) {
            update.setObject(1, endpoint);
            update.setObject(2, delivery);
            update.setObject(3, delivery);
            update.setTimestamp(4, from == null ? null : Timestamp.from(from));
            update.setTimestamp(5, from == null ? null : Timestamp.from(from));
            update.setTimestamp(6, to == null ? null : Timestamp.from(to));
            update.setTimestamp(7, to == null ? null : Timestamp.from(to));
            return update.executeUpdate();
        }
    }

    /**
     * Deletes up to limit finished (succeeded or failed) deliveries created more than retention ago; returns how
     * many. Pending ones stay whatever their age; replay and redelivery reach back as far as retention.
     */
    static int prune(Connection c, Duration retention, int limit) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM webhook_delivery WHERE id IN (SELECT id FROM"
                + " webhook_delivery WHERE status <> 'pending' AND created_at < now() - ? * interval '1 second'"
                + " ORDER BY created_at LIMIT ?)")) {
            delete.setLong(1, retention.toSeconds());
            delete.setInt(2, limit);
            return delete.executeUpdate();
        }
    }

    static long pending(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM webhook_delivery WHERE status = 'pending'");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<String> strings(Array array) throws SQLException {
        return array == null ? Set.of() : Set.copyOf(Arrays.asList((String[]) array.getArray()));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
