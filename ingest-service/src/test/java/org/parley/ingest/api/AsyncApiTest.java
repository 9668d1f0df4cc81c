package org.parley.ingest.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.parley.contract.StatementType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The AsyncAPI document is served, parses as AsyncAPI 3.0, and says what the services do on Kafka: its payload
 * schema (followed by reference, as a reader would) is the contract's, its headers are the CloudEvents ones
 * ingest writes.
 */
@QuarkusTest
class AsyncApiTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/asyncapi.yaml")
    URL document;

    @Test
    void describesTheStatementsTopicAndItsDeadLetters() throws Exception {
        JsonNode api = served();
        assertThat(api.path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(api.at("/channels/statements/address").asText()).isEqualTo("diplomatic-statements");
        assertThat(api.at("/channels/deadLetters/address").asText()).isEqualTo("diplomatic-statements-dlq");
        assertThat(api.at("/channels/statements/bindings/kafka/topicConfiguration/retention.ms").asLong()).isEqualTo(-1);
        List<String> actions = new ArrayList<>();
        api.path("operations").forEach(op -> actions.add(op.path("action").asText() + " "
                + op.at("/channel/$ref").asText()));
        assertThat(actions).containsExactlyInAnyOrder("send #/channels/statements", "receive #/channels/statements",
                "send #/channels/deadLetters");
        assertThat(api.at("/components/messages/statement/bindings/kafka/key/pattern").asText())
                .isEqualTo("^[A-Z]{3}-[A-Z]{3}$");
        assertThat(api.at("/components/messages/deadLetter/headers/required").toString())
                .contains("dead-letter-reason", "dead-letter-offset");
    }

    @Test
    void thePayloadIsTheContractsSchema() throws Exception {
        JsonNode payload = served().at("/components/messages/statement/payload");
        assertThat(payload.path("schemaFormat").asText()).isEqualTo("application/schema+json;version=draft-2020-12");
        // Resolved against the document's own URL, as AsyncAPI tools do.
        URI schemaUri = document.toURI().resolve(payload.at("/schema/$ref").asText());
        String served = given().get(schemaUri).then().statusCode(200).extract().asString();
        JsonNode contract;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("contract/statement-event.schema.json")) {
            assertThat(in).as("the contract schema on the classpath").isNotNull();
            contract = JSON.readTree(in);
        }
        assertThat(JSON.readTree(served)).isEqualTo(contract);
        assertThat(contract.at("/properties/type/enum")).hasSize(StatementType.values().length);
    }

    @Test
    void theHeadersAreTheCloudEventsOnesIngestWrites() throws Exception {
        JsonNode headers = served().at("/components/messages/statement/headers");
        List<String> required = new ArrayList<>();
        headers.path("required").forEach(h -> required.add(h.asText()));
        assertThat(required).containsExactlyInAnyOrder("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time",
                "content-type");
        List<String> types = new ArrayList<>();
        headers.at("/properties/ce_type/enum").forEach(t -> types.add(t.asText()));
        assertThat(types).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(StatementType.values()).map(StatementType::cloudEventType).toList());
        assertThat(headers.at("/properties/traceparent/pattern").asText()).isNotEmpty();
    }

    private JsonNode served() throws Exception {
        String text = given().get(document).then().statusCode(200).extract().asString();
        return YAML.readTree(text);
    }
}
