package org.parley.status.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.parley.status.Parley.country;
import static org.parley.status.Parley.publish;
import static org.parley.status.Parley.statement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.parley.status.Parley;
import org.parley.status.TopicTest;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A replay's switch replaces every projection row. Where a corrected fold changed a projection's content but
 * not its version, a dashboard polling with the old ETag must get the new content, not a 304; where the
 * content is the same, the ETag stays. The switch is stood in for by rewriting the row as it would.
 */
@QuarkusTest
class ETagContentTest extends TopicTest {

    @Inject
    DataSource dataSource;

    @Test
    void newContentUnderTheSameVersionGetsANewETag() throws Exception {
        String a = country(), b = country();
        publish(kafka, statement("INVITATION_ISSUED", a, b, Instant.parse("2025-10-24T03:00:00Z")));
        String path = "/relationships/" + a + "/" + b;
        RelationshipApiTest.awaitEventCount(path, 1);
        var before = given().get(path);
        String etag = before.header("ETag");
        long version = before.jsonPath().getLong("version");

        String original = stored(Parley.relationshipId(a, b));
        try {
            assertReplayedContent(path, etag, version, Parley.relationshipId(a, b));
        } finally {
            // Put the fold's content back: replay tests compare every row with a rebuild from the topic.
            rewrite(Parley.relationshipId(a, b), "'" + original.replace("'", "''") + "'::jsonb");
        }
    }

    private void assertReplayedContent(String path, String etag, long version, String id) throws Exception {
        // Same content rewritten (a replay that reproduces the fold): same ETag, still 304.
        rewrite(id, "state");
        given().header("If-None-Match", etag).get(path).then().statusCode(304).header("ETag", etag);

        // Changed content, same version (a replay with a corrected fold).
        rewrite(id, "jsonb_set(state, '{status}', '\"WITHDRAWN\"')");
        var after = given().header("If-None-Match", etag).get(path);
        after.then().statusCode(200).body("status", equalTo("WITHDRAWN")).body("version", equalTo((int) version));
        String changed = after.header("ETag");
        assertThat(changed).isNotEqualTo(etag).startsWith("\"" + version + "-");
        given().header("If-None-Match", "W/" + changed).get(path).then().statusCode(304).header("ETag", changed);
    }

    private String stored(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT state::text FROM relationship WHERE id = ?")) {
            select.setString(1, id);
            try (var rs = select.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private void rewrite(String id, String state) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("UPDATE relationship SET state = " + state
                        + ", status = " + state + "->>'status', updated_at = clock_timestamp() WHERE id = ?")) {
            update.setString(1, id);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }
}
