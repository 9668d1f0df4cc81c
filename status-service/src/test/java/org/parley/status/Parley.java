package org.parley.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.ConfigProvider;
import org.parley.contract.CloudEvents;
import org.parley.contract.RelationshipId;
import org.parley.contract.Statement;
import org.parley.contract.StatementJson;
import org.parley.contract.StatementType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Test fixtures: the run's topic (created with a few partitions before anything is produced), statements
 * built and published exactly as ingest-service publishes them, and fresh country codes so that tests
 * sharing the application never share a relationship.
 */
public final class Parley {
    public static final int PARTITIONS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CODES = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3).stream()
            .filter(code -> !code.equals("PRK") && !code.equals("USA")) // kept for the board's PRK-USA story
            .sorted().toList();
    private static final AtomicInteger NEXT_CODE = new AtomicInteger();
    private static volatile boolean topicReady;

    private Parley() {
    }

    public static String topic() {
        return ConfigProvider.getConfig().getValue("parley.topic", String.class);
    }

    public static String dlqTopic() {
        return ConfigProvider.getConfig().getValue("parley.dlq-topic", String.class);
    }

    /** A companion on the configured broker; the run's topic exists with {@link #PARTITIONS} partitions. */
    public static KafkaCompanion companion() {
        KafkaCompanion companion = TestBroker.companion(
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        synchronized (Parley.class) {
            if (!topicReady) {
                if (!companion.topics().list().contains(topic())) {
                    companion.topics().createAndWait(topic(), PARTITIONS, Duration.ofSeconds(30));
                }
                topicReady = true;
            }
        }
        return companion;
    }

    /** A country code no other test uses. */
    public static String country() {
        return CODES.get(NEXT_CODE.getAndIncrement());
    }

    public static String relationshipId(String a, String b) {
        return RelationshipId.of(a, b);
    }

    /** A statement as ingest-service writes it: recordedAt a second after occurredAt, optional fields absent. */
    public static ObjectNode statement(String type, String source, String target, Instant occurredAt) {
        ObjectNode node = JSON.createObjectNode();
        node.put("eventId", UUID.randomUUID().toString());
        node.put("type", type);
        node.put("source", source);
        node.put("target", target);
        node.put("occurredAt", occurredAt.toString());
        node.put("recordedAt", occurredAt.plusSeconds(1).toString());
        return node;
    }

    public static ObjectNode list(ObjectNode node, String field, String... items) {
        var array = node.putArray(field);
        Arrays.stream(items).forEach(array::add);
        return node;
    }

    /** Key, value and CloudEvents headers as ingest-service's StatementPublisher sets them. */
    public static ProducerRecord<String, String> record(ObjectNode statement) {
        return record(topic(), statement);
    }

    public static ProducerRecord<String, String> record(String topic, ObjectNode statement) {
        String type = statement.get("type").asText();
        RecordHeaders headers = new RecordHeaders();
        header(headers, CloudEvents.SPEC_VERSION, "1.0");
        header(headers, CloudEvents.ID, statement.get("eventId").asText());
        header(headers, CloudEvents.TYPE, StatementType.valueOf(type).cloudEventType());
        header(headers, CloudEvents.SOURCE, "/parley/ingest-service");
        header(headers, CloudEvents.TIME, statement.get("occurredAt").asText());
        header(headers, CloudEvents.CONTENT_TYPE, "application/json");
        String key = relationshipId(statement.get("source").asText(), statement.get("target").asText());
        return new ProducerRecord<>(topic, null, key, statement.toString(), headers);
    }

    /** A statement ingest-service accepted, published as its StatementPublisher does (the contract's codec and headers). */
    public static void publish(KafkaCompanion companion, Statement statement) {
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.headers(statement, "/parley/ingest-service").forEach((name, value) -> header(headers, name, value));
        companion.produceStrings().fromRecords(new ProducerRecord<>(topic(), null, statement.relationshipId(),
                new String(StatementJson.write(statement), StandardCharsets.UTF_8), headers)).awaitCompletion(Duration.ofSeconds(30));
    }

    /** Many statements as {@link #publish(KafkaCompanion, Statement)} publishes one, in one go. */
    public static void publishStatements(KafkaCompanion companion, List<Statement> statements) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (Statement statement : statements) {
            RecordHeaders headers = new RecordHeaders();
            CloudEvents.headers(statement, "/parley/ingest-service").forEach((name, value) -> header(headers, name, value));
            records.add(new ProducerRecord<>(topic(), null, statement.relationshipId(),
                    new String(StatementJson.write(statement), StandardCharsets.UTF_8), headers));
        }
        companion.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(60));
    }

    public static void publish(KafkaCompanion companion, ObjectNode... statements) {
        publish(companion, List.of(statements));
    }

    public static void publish(KafkaCompanion companion, List<ObjectNode> statements) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        statements.forEach(s -> records.add(record(s)));
        companion.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(30));
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A counter's value from the Prometheus endpoint (0 before its first increment). */
    public static double metric(String name) {
        String text = io.restassured.RestAssured.given().get(Management.url("/metrics")).then().statusCode(200).extract().asString();
        return text.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** The log end offset of every partition of the run's topic. */
    public static Map<Integer, Long> endOffsets(KafkaCompanion companion) {
        TopicDescription description = companion.topics().describe(topic()).get(topic());
        Map<TopicPartition, OffsetSpec> request = description.partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic(), p.partition()), p -> OffsetSpec.latest()));
        Map<Integer, Long> ends = new TreeMap<>();
        companion.offsets().list(request).forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
        return ends;
    }

}
