package org.parley.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The Kubernetes manifests under deploy/kubernetes parse, contain what an operator needs, and follow the
 * services' rules: probes on the management port (HTTP port + 1000), which the Services do not expose; memory
 * requests and limits; configuration and tokens from Secrets; the statements topic replicated and kept forever.
 */
class DeploymentManifestsTest {
    private static final Path DIR = Path.of("..", "deploy", "kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyKindIsThere() throws IOException {
        List<String> kinds = documents().stream().map(d -> d.path("kind").asText() + "/" + d.at("/metadata/name").asText()).toList();
        assertThat(kinds).contains("Deployment/ingest-service", "Service/ingest-service",
                "Deployment/status-service", "Service/status-service",
                "KafkaTopic/diplomatic-statements", "KafkaTopic/diplomatic-statements-dlq");
        assertThat(kinds).noneMatch(kind -> kind.startsWith("Secret/"));
    }

    @Test
    void probesUseTheManagementPortAndLimitsAreSet() throws IOException {
        List<JsonNode> deployments = ofKind("Deployment");
        assertThat(deployments).hasSize(2);
        for (JsonNode deployment : deployments) {
            JsonNode container = deployment.at("/spec/template/spec/containers/0");
            String name = deployment.at("/metadata/name").asText();
            int http = port(container, "http");
            int management = port(container, "management");
            assertThat(management).as(name).isEqualTo(http + 1000);
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode get = container.path(probe).path("httpGet");
                assertThat(get.path("path").asText()).as(name + " " + probe).startsWith("/q/health/");
                assertThat(get.path("port").asText()).as(name + " " + probe).isIn("management", String.valueOf(management));
            }
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
            assertThat(mebibytes(container.at("/resources/requests/memory").asText())).as(name).isGreaterThanOrEqualTo(256);
            assertThat(mebibytes(container.at("/resources/limits/memory").asText())).as(name)
                    .isGreaterThanOrEqualTo(mebibytes(container.at("/resources/requests/memory").asText()));
            assertThat(container.at("/resources/limits/cpu").asText()).as(name).isNotEmpty();
            assertThat(container.at("/envFrom/0/secretRef/name").asText()).as(name).startsWith("parley-");
            container.path("env").forEach(env -> assertThat(env.path("name").asText()).as(name)
                    .doesNotContain("TOKEN", "PASSWORD"));
        }
    }

    @Test
    void servicesExposeTheApiButNotTheManagementPort() throws IOException {
        for (JsonNode service : ofKind("Service")) {
            List<String> ports = new ArrayList<>();
            service.at("/spec/ports").forEach(p -> ports.add(p.path("targetPort").asText()));
            assertThat(ports).containsExactly("http");
        }
    }

    @Test
    void theStatementsTopicIsReplicatedAndKeptForever() throws IOException {
        JsonNode topic = ofKind("KafkaTopic").stream()
                .filter(t -> t.at("/metadata/name").asText().equals("diplomatic-statements")).findFirst().orElseThrow();
        assertThat(topic.at("/metadata/labels/strimzi.io~1cluster").asText()).isNotEmpty();
        assertThat(topic.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(topic.at("/spec/partitions").asInt()).isEqualTo(6);
        assertThat(topic.at("/spec/config/min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(topic.at("/spec/config/retention.ms").asLong()).isEqualTo(-1);
    }

    @Test
    void onlyIngestsPrincipalMayWriteTheStatementsTopic() throws IOException {
        List<JsonNode> users = ofKind("KafkaUser");
        assertThat(users).extracting(u -> u.at("/metadata/name").asText()).containsExactlyInAnyOrder("ingest-service", "status-service");
        for (JsonNode user : users) {
            String name = user.at("/metadata/name").asText();
            assertThat(user.at("/spec/authentication/type").asText()).as(name).isEqualTo("scram-sha-512");
            List<String> statementsOps = new ArrayList<>();
            user.at("/spec/authorization/acls").forEach(acl -> {
                if (acl.at("/resource/type").asText().equals("topic") && acl.at("/resource/name").asText().equals("diplomatic-statements")) {
                    acl.path("operations").forEach(op -> statementsOps.add(op.asText()));
                }
            });
            if (name.equals("ingest-service")) {
                assertThat(statementsOps).contains("Write");
            } else {
                assertThat(statementsOps).contains("Read").doesNotContain("Write", "All");
            }
        }
        // Each Deployment authenticates as its KafkaUser, with the JAAS line from the Secret Strimzi keeps for it.
        for (JsonNode deployment : ofKind("Deployment")) {
            String name = deployment.at("/metadata/name").asText();
            JsonNode env = deployment.at("/spec/template/spec/containers/0/env");
            List<String> jaasFrom = new ArrayList<>();
            env.forEach(e -> {
                if (e.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")) {
                    jaasFrom.add(e.at("/valueFrom/secretKeyRef/name").asText());
                }
            });
            assertThat(jaasFrom).as(name).containsExactly(name);
        }
    }

    private static int port(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no port named " + name);
    }

    private static long mebibytes(String quantity) {
        assertThat(quantity).matches("\\d+(Mi|Gi)");
        long n = Long.parseLong(quantity.substring(0, quantity.length() - 2));
        return quantity.endsWith("Gi") ? n * 1024 : n;
    }

    private static List<JsonNode> ofKind(String kind) throws IOException {
        return documents().stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    private static List<JsonNode> documents() throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    while (docs.hasNext()) {
                        JsonNode doc = docs.next();
                        if (doc != null && !doc.isEmpty()) {
                            assertThat(doc.path("apiVersion").asText()).as(file + " apiVersion").isNotEmpty();
                            documents.add(doc);
                        }
                    }
                }
            }
        }
        assertThat(documents).isNotEmpty();
        return documents;
    }
}
