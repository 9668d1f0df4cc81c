package org.parley.status.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Finished deliveries older than the retention are deleted; pending ones and recent ones stay. */
@QuarkusTest
class DeliveryRetentionTest {
    @Inject
    DataSource dataSource;

    @Test
    void finishedDeliveriesPastTheRetentionAreDeletedPendingAndRecentOnesStay() throws Exception {
        UUID endpoint = UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            // A disabled endpoint: the dispatcher creates nothing for it and the sender claims nothing of it.
            execute(c, "INSERT INTO webhook_endpoint (id, url, parties, statuses, secret, enabled, from_change_seq,"
                    + " created_at) VALUES ('" + endpoint + "', 'http://127.0.0.1:9/hook', '{}', '{}', 'whsec_x', false,"
                    + " 0, now() - interval '90 days')");
            delivery(c, endpoint, -1, "succeeded", "40 days");
            delivery(c, endpoint, -2, "failed", "40 days");
            delivery(c, endpoint, -3, "pending", "40 days");
            delivery(c, endpoint, -4, "succeeded", "1 day");
            // (The service prunes once a minute as well; either way only these two may go.)
            assertThat(DeliveryStore.prune(c, Duration.ofDays(30), 1000)).isBetween(0, 2);
            assertThat(remaining(c, endpoint)).containsExactly(-4L, -3L);
            execute(c, "DELETE FROM webhook_endpoint WHERE id = '" + endpoint + "'");
        }
    }

    private static void delivery(Connection c, UUID endpoint, long seq, String status, String age) throws Exception {
        execute(c, "INSERT INTO webhook_delivery (id, endpoint_id, change_seq, payload, status, attempts, next_attempt_at,"
                + " created_at) VALUES ('" + UUID.randomUUID() + "', '" + endpoint + "', " + seq + ", '{}', '" + status
                + "', 1, now(), now() - interval '" + age + "')");
    }

    private static List<Long> remaining(Connection c, UUID endpoint) throws Exception {
        List<Long> seqs = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT change_seq FROM webhook_delivery WHERE endpoint_id = ? ORDER BY change_seq")) {
            s.setObject(1, endpoint);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
        }
        return seqs;
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (var s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
