package org.parley.status.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.status.Parley.country;
import static org.parley.status.webhooks.WebhookDeliveryTest.admin;
import static org.parley.status.webhooks.WebhookDeliveryTest.register;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.parley.status.Parley;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Several claimants at once — the application's own sender and four more, each on its own connection as
 * other instances would be — never take the same attempt: every due delivery is claimed exactly once.
 */
@QuarkusTest
class ClaimTest {
    private static final int DELIVERIES = 60;

    @Inject
    DataSource dataSource;

    @Test
    void concurrentClaimantsTakeDisjointAttempts() throws Exception {
        double succeeded = Parley.metric("parley_webhook_deliveries_total");
        try (Receiver receiver = new Receiver()) {
            String endpoint = register(receiver.url(), List.of(country()), List.of()).getString("id");
            Set<UUID> all = new HashSet<>();
            try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO webhook_delivery (id, endpoint_id, change_seq, payload, status, next_attempt_at,"
                            + " created_at) VALUES (?, ?, ?, '{}', 'pending', now(), now())")) {
                for (int i = 1; i <= DELIVERIES; i++) {
                    UUID id = UUID.randomUUID();
                    all.add(id);
                    insert.setObject(1, id);
                    insert.setObject(2, UUID.fromString(endpoint));
                    insert.setLong(3, -i);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            int claimants = 4;
            CyclicBarrier start = new CyclicBarrier(claimants);
            ExecutorService pool = Executors.newFixedThreadPool(claimants);
            List<Future<List<UUID>>> claims = new ArrayList<>();
            for (int t = 0; t < claimants; t++) {
                claims.add(pool.submit(() -> {
                    List<UUID> mine = new ArrayList<>();
                    start.await();
                    for (int round = 0; round < 3; round++) {
                        try (Connection c = dataSource.getConnection()) {
                            // Leased for an hour: the application's sender must not take these again during the test.
                            DeliveryStore.claim(c, 4, Duration.ofHours(1), Instant.now()).stream()
                                    .filter(a -> all.contains(a.id())).forEach(a -> mine.add(a.id()));
                        }
                    }
                    return mine;
                }));
            }
            List<UUID> claimedByOthers = new ArrayList<>();
            for (Future<List<UUID>> claim : claims) {
                claimedByOthers.addAll(claim.get());
            }
            pool.shutdown();
            assertThat(claimedByOthers).doesNotHaveDuplicates();
            Set<UUID> rest = new HashSet<>(all);
            claimedByOthers.forEach(rest::remove);
            // What the others did not take, the application's sender delivers, each once.
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests.size() >= rest.size());
            List<UUID> received = receiver.requests.stream()
                    .map(r -> UUID.fromString(r.header("webhook-id").substring(4))).toList();
            assertThat(received).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(rest);
            assertThat(Parley.metric("parley_webhook_deliveries_total")).isGreaterThanOrEqualTo(succeeded + rest.size());
            admin().post("/admin/webhooks/" + endpoint + "/disable").then().statusCode(200);
        }
    }
}
