package org.parley.status.consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.metric;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TestBroker;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;

/**
 * A batch whose SQL runs past parley.consumer.batch-timeout (2 s here) is cancelled by PostgreSQL and
 * retried with half the records, until batches fit: nothing is skipped, nothing counted twice, and the
 * consumer is not stuck retrying the same size forever. The slowness is real SQL time: a trigger sleeps
 * 50 ms per stored statement of this test's relationship, so a full poll (100 records) needs 5 s, a quarter
 * of one 1.25 s. Partition 2 of its own topic ({@link OwnTopic}).
 */
@QuarkusTest
@TestProfile(OwnTopic.class)
class BatchTimeoutTest {

    @Inject
    StatementConsumer consumer;
    @Inject
    DataSource dataSource;

    @Test
    void aBatchThatRunsOutOfTimeIsRetriedSmallerUntilEveryStatementIsStored() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        double timeouts = metric("parley_consumer_batch_timeouts_total");
        execute("CREATE OR REPLACE FUNCTION parley_test_slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " PERFORM pg_sleep(0.05 * (SELECT count(*) FROM inserted WHERE relationship_id = 'CHL-PER'));"
                + " RETURN NULL; END $$");
        execute("CREATE TRIGGER parley_test_slow AFTER INSERT ON statement REFERENCING NEW TABLE AS inserted"
                + " FOR EACH STATEMENT EXECUTE FUNCTION parley_test_slow()");
        try (KafkaCompanion kafka = TestBroker.companion(bootstrap)) {
            OwnTopic.create(kafka);
            consumer.stop(); // so that the 200 records wait for it together: full polls
            Instant t0 = Instant.parse("2025-06-01T00:00:00Z");
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ProducerRecord<String, String> r = Parley.record(Parley.statement("NO_RESPONSE", "PER", "CHL",
                        t0.plusSeconds(i)));
                records.add(new ProducerRecord<>(r.topic(), 2, r.key(), r.value(), r.headers()));
            }
            kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(30));
            consumer.start();

            await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> given().get("/relationships/CHL/PER").then()
                    .statusCode(200).body("eventCount", equalTo(200)));
            assertThat(metric("parley_consumer_batch_timeouts_total") - timeouts).isPositive();
        } finally {
            execute("DROP TRIGGER IF EXISTS parley_test_slow ON statement");
            consumer.start();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().execute(sql);
        }
    }
}
