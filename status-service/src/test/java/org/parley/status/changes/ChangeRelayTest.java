package org.parley.status.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TopicTest;
import org.parley.status.persistence.ChangeOutbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import jakarta.inject.Inject;

/** Every committed change reaches relationship-changes, keyed by relationship, in change order, with CloudEvents headers. */
@QuarkusTest
class ChangeRelayTest extends TopicTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    @Inject
    DataSource dataSource;

    static String changesTopic() {
        return ConfigProvider.getConfig().getValue("parley.changes.topic", String.class);
    }

    @Test
    void changesFoldedFromStatementsAppearOnTheTopicInOrderWithTheirCause() throws Exception {
        String a = country();
        String b = country();
        String id = Parley.relationshipId(a, b);
        try (ConsumerTask<String, String> records = kafka.consumeStrings().fromTopics(changesTopic())) {
            ObjectNode invited = statement("INVITATION_ISSUED", a, b, T0);
            ObjectNode silent = statement("NO_RESPONSE", b, a, T0.plusSeconds(3600));
            ObjectNode accepted = statement("INVITATION_ACCEPTED", b, a, T0.plusSeconds(7200));
            // One at a time: statements folded in one batch make one change.
            for (ObjectNode s : List.of(invited, silent, accepted)) {
                int before = of(records, id).size();
                publish(kafka, s);
                await().atMost(Duration.ofSeconds(30)).until(() -> of(records, id).size() > before);
            }
            List<ConsumerRecord<String, String>> mine = of(records, id);
            assertThat(mine).hasSize(3);
            List<JsonNode> bodies = mine.stream().map(r -> read(r.value())).toList();
            assertThat(bodies).extracting(n -> n.get("statusAfter").asText())
                    .containsExactly("INVITATION_OPEN", "NO_RESPONSE", "ACCEPTED");
            assertThat(bodies).extracting(n -> n.get("statusBefore").isNull() ? null : n.get("statusBefore").asText())
                    .containsExactly(null, "INVITATION_OPEN", "NO_RESPONSE");
            assertThat(bodies).extracting(n -> n.get("causedBy").asText()).containsExactly(
                    invited.get("eventId").asText(), silent.get("eventId").asText(), accepted.get("eventId").asText());
            assertThat(bodies).extracting(n -> n.get("causedByType").asText())
                    .containsExactly("INVITATION_ISSUED", "NO_RESPONSE", "INVITATION_ACCEPTED");
            assertThat(bodies).extracting(n -> n.get("changeNumber").asLong()).isSorted().doesNotHaveDuplicates();
            assertThat(bodies).extracting(n -> n.get("version").asLong()).isSorted();
            for (int i = 0; i < mine.size(); i++) {
                ConsumerRecord<String, String> r = mine.get(i);
                assertThat(header(r, "ce_type")).isEqualTo("org.parley.relationship.changed");
                assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
                assertThat(header(r, "ce_source")).isEqualTo("/parley/status-service");
                assertThat(header(r, "ce_id")).isEqualTo("change-" + bodies.get(i).get("changeNumber").asLong());
                assertThat(header(r, "ce_subject")).isEqualTo(id);
            }
            long last = bodies.get(2).get("changeNumber").asLong();
            // The relay's position is stored once the broker acknowledged.
            await().atMost(Duration.ofSeconds(10)).until(() -> position() >= last);
        }
    }

    @Test
    void interleavedRelationshipsKeepTheirOwnOrder() {
        String a = country();
        String b = country();
        String c = country();
        try (ConsumerTask<String, String> records = kafka.consumeStrings().fromTopics(changesTopic())) {
            publish(kafka, statement("INVITATION_ISSUED", a, b, T0), statement("INVITATION_ISSUED", a, c, T0));
            publish(kafka, statement("NO_RESPONSE", b, a, T0.plusSeconds(60)), statement("INVITATION_DECLINED", c, a, T0.plusSeconds(60)));
            publish(kafka, statement("INVITATION_ACCEPTED", b, a, T0.plusSeconds(120)));
            String ab = Parley.relationshipId(a, b);
            String ac = Parley.relationshipId(a, c);
            await().atMost(Duration.ofSeconds(30)).until(() -> last(records, ab).equals("ACCEPTED")
                    && last(records, ac).equals("DECLINED"));
            for (String id : List.of(ab, ac)) {
                List<JsonNode> bodies = of(records, id).stream().map(r -> read(r.value())).toList();
                assertThat(bodies).extracting(n -> n.get("changeNumber").asLong()).isSorted();
                for (int i = 1; i < bodies.size(); i++) { // each change starts where the one before ended
                    assertThat(bodies.get(i).get("statusBefore").asText())
                            .isEqualTo(bodies.get(i - 1).get("statusAfter").asText());
                }
            }
        }
    }

    @Test
    void aRelayThatLostItsLastRoundPublishesItAgainWithTheSameChangeNumbers() throws Exception {
        String a = country();
        String b = country();
        String id = Parley.relationshipId(a, b);
        try (ConsumerTask<String, String> records = kafka.consumeStrings().fromTopics(changesTopic())) {
            publish(kafka, statement("INVITATION_ISSUED", a, b, T0));
            await().atMost(Duration.ofSeconds(30)).until(() -> of(records, id).size() == 1);
            long number = read(of(records, id).get(0).value()).get("changeNumber").asLong();
            await().atMost(Duration.ofSeconds(10)).until(() -> position() >= number);
            // As if the instance died after the broker acknowledged but before the position was stored.
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement("UPDATE change_cursor SET position = ? WHERE name = ?")) {
                s.setLong(1, number - 1);
                s.setString(2, "kafka:" + changesTopic());
                s.executeUpdate();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> of(records, id).size() == 2);
            List<ConsumerRecord<String, String>> mine = of(records, id);
            assertThat(mine.get(1).value()).isEqualTo(mine.get(0).value());
            assertThat(header(mine.get(1), "ce_id")).isEqualTo("change-" + number);
        }
    }

    @Test
    void theOutboxKeepsWhatAReaderStillNeedsAndWhatIsRecent() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            // A reader behind them (first, so that the service's own pruning cannot take them either), then two
            // changes, one old and one recent (negative numbers: never relayed, never dispatched).
            execute(c, "INSERT INTO change_cursor VALUES ('reader-behind', -3)");
            execute(c, "INSERT INTO relationship_change VALUES (-2, 'AAA-BBB', 'AAA', 'BBB', null, 'INVITATION_OPEN', 1,"
                    + " null, now() - interval '30 days'), (-1, 'AAA-BBB', 'AAA', 'BBB', null, 'NO_RESPONSE', 2, null, now())");
            assertThat(ChangeOutbox.prune(c, Duration.ofDays(7), 100)).isZero(); // a reader has not passed them
            execute(c, "DELETE FROM change_cursor WHERE name = 'reader-behind'");
            assertThat(ChangeOutbox.prune(c, Duration.ofDays(7), 100)).isEqualTo(1);
            try (PreparedStatement s = c.prepareStatement("SELECT change_seq FROM relationship_change WHERE change_seq < 0");
                    ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(-1);
                assertThat(rs.next()).isFalse();
            }
            execute(c, "DELETE FROM relationship_change WHERE change_seq < 0");
        }
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (var s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    @Test
    void theAsyncApiDocumentDescribesTheTopicAndEveryFieldOfTheRecord() throws Exception {
        String served = io.restassured.RestAssured.given().get("/asyncapi.yaml").then().statusCode(200).extract().asString();
        JsonNode api = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(served);
        assertThat(api.at("/channels/relationshipChanges/address").asText()).isEqualTo("relationship-changes");
        JsonNode payload = api.at("/components/messages/relationshipChanged/payload/properties");
        List<String> documented = new java.util.ArrayList<>();
        payload.fieldNames().forEachRemaining(documented::add);
        assertThat(documented).containsExactlyInAnyOrder(java.util.Arrays.stream(ChangeEvent.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).toArray(String[]::new));
        assertThat(api.at("/components/messages/relationshipChanged/headers/properties/ce_type/const").asText())
                .isEqualTo(ChangeEvent.TYPE);
    }

    private long position() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT position FROM change_cursor WHERE name = ?")) {
            s.setString(1, "kafka:" + changesTopic());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static String last(ConsumerTask<String, String> records, String id) {
        List<ConsumerRecord<String, String>> mine = of(records, id);
        return mine.isEmpty() ? "" : read(mine.get(mine.size() - 1).value()).get("statusAfter").asText();
    }

    private static List<ConsumerRecord<String, String>> of(ConsumerTask<String, String> records, String id) {
        return records.getRecords().stream().filter(r -> id.equals(r.key())).toList();
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode read(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
