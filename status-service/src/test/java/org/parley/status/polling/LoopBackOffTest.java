package org.parley.status.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.junit.jupiter.api.Test;
import org.parley.status.TestBroker;

/**
 * A poll that fails at once (the principal may not use the group) must still back off: the loop used to poll
 * again immediately, thousands of times a second, logging each. Needs bin/test's broker with authentication.
 */
class LoopBackOffTest {

    @Test
    void aPollThatIsRefusedBacksOffInsteadOfSpinning() throws Exception {
        String bootstrap = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        Map<String, Object> principal = TestBroker.settings("STATUS");
        assumeTrue(bootstrap != null && !principal.isEmpty(), "no broker with authentication (bin/test's own)");
        Map<String, Object> config = new HashMap<>(principal);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "not-granted-" + UUID.randomUUID()); // no ACL names this group
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<Exception> last = new AtomicReference<>();
        OffsetTrackingLoop<PolledBatch, Void> loop = new OffsetTrackingLoop<>("loop-back-off-test",
                "parley-statements-" + UUID.randomUUID(), config, false, new NothingStored(), new NothingWritten(),
                new LoopListener<>() {
                    @Override
                    public boolean failed(OffsetTrackingLoop<PolledBatch, Void> failing, Exception e) {
                        last.set(e);
                        failures.incrementAndGet();
                        return true;
                    }
                }, false);
        loop.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> failures.get() > 0);
            assertThat(last.get()).isInstanceOf(AuthorizationException.class);
            int before = failures.get();
            // Back-offs of 0.1, 0.2, 0.4, 0.8, 1.6 s...: a handful of attempts in 3 s, not thousands.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> failures.get() - before <= 6);
            assertThat(loop.healthy()).isFalse();
        } finally {
            loop.stop();
        }
        assertThat(loop.awaitEnd(Duration.ofSeconds(5))).isTrue();
    }

    private static final class NothingStored implements OffsetStore {
        @Override
        public Map<Integer, Long> storedOffsets(String topic, Collection<Integer> partitions) {
            return Map.of();
        }

        @Override
        public boolean ranOutOfTime(Exception failure) {
            return false;
        }
    }

    private static final class NothingWritten implements BatchHandler<PolledBatch, Void> {
        @Override
        public PolledBatch prepare(PolledBatch batch) {
            return batch;
        }

        @Override
        public Void write(PolledBatch batch) {
            throw new AssertionError("nothing may be polled from a group the principal may not use");
        }
    }
}
