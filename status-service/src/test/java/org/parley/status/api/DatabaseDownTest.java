package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** PostgreSQL unreachable: reads answer 503 problem+json with Retry-After, not 500; bad input still 400. */
@QuarkusTest
@TestProfile(DatabaseDownTest.NoDatabase.class)
class DatabaseDownTest {

    public static class NoDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + deadPort() + "/parley",
                    "quarkus.datasource.jdbc.acquisition-timeout", "2s",
                    "quarkus.flyway.migrate-at-start", "false",
                    "quarkus.flyway.clean-at-start", "false");
        }

        private static int deadPort() {
            try (ServerSocket probe = new ServerSocket(0)) {
                return probe.getLocalPort(); // closed again: nothing listens there
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void readsAre503WithRetryAfter() {
        for (String path : new String[] { "/relationships", "/relationships/USA/PRK", "/relationships/USA/PRK/timeline",
                "/relationships/USA/PRK?asOf=2025-10-25T00:00:00Z" }) {
            given().get(path).then().statusCode(503).contentType("application/problem+json")
                    .header("Retry-After", "5").body("status", equalTo(503));
        }
        given().get("/relationships/USA/XYZ").then().statusCode(400);
    }
}
