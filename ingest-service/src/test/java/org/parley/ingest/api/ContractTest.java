package org.parley.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.ingest.Statements.without;
import static org.parley.ingest.kafka.TopicProbe.header;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.contract.ContractSchema;
import org.parley.contract.StatementType;
import org.parley.ingest.Statements;
import org.parley.ingest.kafka.TopicProbe;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The contract, end to end: each example under contract/examples, posted as a newsroom would (without the
 * server-set recordedAt), is published as a record that satisfies the schema and matches the example.
 * (ContractAgreementTest checks the examples themselves and the rules against the schema.)
 */
@QuarkusTest
class ContractTest {
    private TopicProbe topic;

    @BeforeEach
    void open() {
        topic = TopicProbe.open();
    }

    @AfterEach
    void close() {
        topic.close();
    }

    static List<String> examples() {
        return List.copyOf(ContractSchema.examples().keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void whatIsPublishedSatisfiesTheSchema(String name) {
        Map<String, Object> example = Statements.parse(ContractSchema.examples().get(name));
        Map<String, Object> posted = without(example, "recordedAt");

        JsonPath accepted = PublishTest.post(posted);
        ConsumerRecord<String, String> record = topic.committedAt(accepted.getInt("partition"), accepted.getLong("offset"));

        assertThat(ContractSchema.violations(record.value())).isEmpty();
        Map<String, Object> published = Statements.parse(record.value());
        assertThat(published).containsKey("recordedAt");
        assertThat(without(published, "recordedAt")).isEqualTo(posted);
        assertThat(header(record, "ce_type")).isEqualTo(StatementType.valueOf((String) example.get("type")).cloudEventType());
        assertThat(header(record, "ce_id")).isEqualTo(example.get("eventId"));
    }
}
