package org.parley.ingest.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.parley.ingest.Statements.json;
import static org.parley.ingest.Statements.valid;
import static org.parley.ingest.kafka.TopicProbe.header;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.contract.StatementType;
import org.parley.ingest.Statements;
import org.parley.ingest.kafka.TopicProbe;
import org.parley.support.security.DevTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Bearer JWTs: a client posts within its beat (parties claim) and roles, and every record names it. */
@QuarkusTest
class ClientScopeTest {
    private static final String PROBLEM = "application/problem+json";
    private static final String PRK_DESK = DevTokens.mint("seoul-desk", List.of("post"), List.of("PRK", "KOR"));
    private TopicProbe topic;

    @BeforeEach
    void open() {
        topic = TopicProbe.open();
    }

    @AfterEach
    void close() {
        topic.close();
    }

    private static ValidatableResponse post(String token, String path, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when().post(path).then();
    }

    @Test
    void aClientPostsOnlyAboutRelationshipsOfItsParties() {
        JsonPath accepted = post(PRK_DESK, "/events", json(valid(StatementType.INVITATION_ISSUED, "USA", "PRK")))
                .statusCode(202).extract().jsonPath();
        var record = topic.committedAt(accepted.getInt("partition"), accepted.getLong("offset"));
        assertThat(header(record, "ce_authtype")).isEqualTo("app_user");
        assertThat(header(record, "ce_authid")).isEqualTo("seoul-desk");
        assertThat(header(record, "ce_authroles")).isEqualTo("post");

        long before = topic.size();
        post(PRK_DESK, "/events", json(valid(StatementType.INVITATION_ISSUED, "CHN", "RUS")))
                .statusCode(403).contentType(PROBLEM)
                .body("detail", containsString("rule parties"))
                .body("detail", containsString("CHN–RUS"));
        // One item outside the beat refuses the whole batch.
        post(PRK_DESK, "/events/batch", json(List.of(valid(StatementType.NO_RESPONSE, "PRK", "USA"),
                valid(StatementType.NO_RESPONSE, "FRA", "DEU"))))
                .statusCode(403).contentType(PROBLEM).body("detail", containsString("item [1]: rule parties"));
        assertThat(topic.size()).isEqualTo(before);
    }

    @Test
    void aRetractionNeedsTheRetractRole() {
        long before = topic.size();
        post(PRK_DESK, "/events", json(valid(StatementType.STATEMENT_RETRACTED, "PRK", "USA")))
                .statusCode(403).contentType(PROBLEM).body("detail", containsString("rule retract-role"));
        String reader = DevTokens.mint("no-roles", List.of(), List.of("*"));
        post(reader, "/events", json(valid(StatementType.NO_RESPONSE, "PRK", "USA")))
                .statusCode(403).contentType(PROBLEM).body("detail", containsString("rule post-role"));
        assertThat(topic.size()).isEqualTo(before);

        String editor = DevTokens.mint("night-editor", List.of("editor"), List.of("*"));
        post(editor, "/events", json(valid(StatementType.STATEMENT_RETRACTED, "PRK", "USA"))).statusCode(202);
    }

    @Test
    void tokensThatDoNotVerifyAre401() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String foreignKey = DevTokens.mint("intruder", List.of("post"), List.of("*"), Duration.ofHours(1),
                rsa.generateKeyPair().getPrivate());
        String expired = DevTokens.mint("late", List.of("post"), List.of("*"), Duration.ofHours(-1),
                DevTokens.privateKey(new String(getClass().getClassLoader().getResourceAsStream(DevTokens.PRIVATE_KEY_RESOURCE)
                        .readAllBytes(), StandardCharsets.US_ASCII)));
        long before = topic.size();
        for (String token : List.of(foreignKey, expired, "not.a.jwt")) {
            post(token, "/events", json(valid(StatementType.NO_RESPONSE)))
                    .statusCode(401).contentType(PROBLEM)
                    .header("WWW-Authenticate", containsString("invalid_token"));
        }
        assertThat(topic.size()).isEqualTo(before);
    }

    @Test
    void binTokenMintsATokenThatIngestAccepts() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Process token = new ProcessBuilder(root.resolve("bin/token").toString(), "bin-token-desk", "--roles", "post",
                "--parties", "USA").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String minted = new String(token.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(token.waitFor()).isZero();
        JsonPath accepted = post(minted, "/events", json(valid(StatementType.NO_RESPONSE, "PRK", "USA")))
                .statusCode(202).extract().jsonPath();
        assertThat(header(topic.committedAt(accepted.getInt("partition"), accepted.getLong("offset")), "ce_authid"))
                .isEqualTo("bin-token-desk");
        post(minted, "/events", json(valid(StatementType.NO_RESPONSE, "PRK", "KOR"))).statusCode(403);
    }
}
