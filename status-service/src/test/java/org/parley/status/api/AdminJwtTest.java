package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.parley.support.security.DevTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Admin calls take a bearer JWT with the role admin, verified as ingest verifies its clients' (here the
 * development key of the test profile); the static development token still works beside it.
 */
@QuarkusTest
class AdminJwtTest {

    @Test
    void aJwtWithTheAdminRoleIsLetIn() {
        given().header("Authorization", "Bearer " + DevTokens.mint("night-operator", List.of("admin"), List.of()))
                .get("/admin/history-gaps").then().statusCode(200);
    }

    @Test
    void aNewsroomClientsJwtIsNotAnAdmin() {
        given().header("Authorization", "Bearer " + DevTokens.mint("seoul-desk", List.of("post", "retract", "editor"), List.of("*")))
                .get("/admin/history-gaps").then().statusCode(403)
                .body("detail", containsString("not one of the admin tokens"));
    }

    @Test
    void anExpiredOrForeignJwtIsRefused() throws Exception {
        var foreign = java.security.KeyPairGenerator.getInstance("RSA");
        foreign.initialize(2048);
        String forged = DevTokens.mint("intruder", List.of("admin"), List.of(), Duration.ofHours(1), foreign.generateKeyPair().getPrivate());
        given().header("Authorization", "Bearer " + forged).get("/admin/history-gaps").then().statusCode(403);
        String expired = DevTokens.mint("night-operator", List.of("admin"), List.of(), Duration.ofSeconds(-120),
                DevTokens.privateKey(new String(AdminJwtTest.class.getClassLoader()
                        .getResourceAsStream(DevTokens.PRIVATE_KEY_RESOURCE).readAllBytes())));
        given().header("Authorization", "Bearer " + expired).get("/admin/history-gaps").then().statusCode(403);
    }

    @Test
    void theStaticDevelopmentTokenStillWorks() {
        given().header("Authorization", "Bearer dev-admin-token").get("/admin/history-gaps").then().statusCode(200);
    }
}
