package org.parley.status.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.Projections;
import org.parley.status.consumer.StatementConsumer;
import org.parley.status.consumer.StatementConsumer.CatchUpStatus;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** Started against an empty schema with a topic full of statements, the service rebuilds every projection. */
@QuarkusTest
@TestProfile(ColdStartTest.Profile.class)
class ColdStartTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A report after every batch, so that a short catch-up still shows them.
            return Map.of("parley.consumer.progress-interval", "1ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ColdStartCorpus.class));
        }
    }

    @Inject
    StatementConsumer consumer;
    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper json;

    @Test
    void rebuildsEveryProjectionFromTheTopicAndReportsProgress() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> consumer.catchUp() != null
                && consumer.catchUp().finishedAt() != null);
        CatchUpStatus catchUp = consumer.catchUp();
        long ends = Parley.endOffsets(Parley.companion()).values().stream().mapToLong(Long::longValue).sum();
        assertThat(catchUp.progress().target()).isEqualTo(ends); // the end offsets captured at start
        assertThat(catchUp.progress().position()).isEqualTo(ends);
        assertThat(catchUp.progress().records()).isGreaterThanOrEqualTo(ColdStartCorpus.STATEMENTS);
        assertThat(catchUp.reports()).isPositive();
        assertThat(catchUp.progress().average()).isPositive();

        Projections.assertFoldOfTopic(Projections.snapshot(dataSource), Projections.topic(Parley.topic()), json);
    }
}
