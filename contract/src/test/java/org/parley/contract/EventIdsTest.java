package org.parley.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** A body without eventId names the same statement, and so gets the same eventId, every time it is sent. */
class EventIdsTest {
    private static final String BODY = """
            {"type":"CONDITIONS_REITERATED","source":"PRK","target":"USA","occurredAt":"%s",
             "conditions":["Recognition as a nuclear power"],"summary":"%s"}""";

    private static UUID id(String occurredAt, String summary, Instant now) throws Exception {
        String json = BODY.formatted(occurredAt, summary);
        return StatementRules.request(StatementJson.read(json.getBytes(StandardCharsets.UTF_8)), now).statement().eventId();
    }

    @Test
    void theSameContentGetsTheSameIdWhenever() throws Exception {
        UUID first = id("2025-10-24T03:00:00Z", "s", Instant.parse("2025-10-24T03:00:01Z"));
        assertThat(id("2025-10-24T03:00:00Z", "s", Instant.parse("2025-10-25T09:00:00Z"))).isEqualTo(first);
        // The same instant written otherwise is the same statement.
        assertThat(id("2025-10-24T12:00:00.000+09:00", "s", Instant.parse("2025-10-24T03:00:01Z"))).isEqualTo(first);
        assertThat(first.version()).isEqualTo(5);
        assertThat(first.variant()).isEqualTo(2);
    }

    @Test
    void otherContentGetsAnotherId() throws Exception {
        Instant now = Instant.parse("2025-10-24T03:00:01Z");
        UUID first = id("2025-10-24T03:00:00Z", "s", now);
        assertThat(id("2025-10-24T03:00:00.001Z", "s", now)).isNotEqualTo(first);
        assertThat(id("2025-10-24T03:00:00Z", "s ", now)).isNotEqualTo(first);
    }

    @Test
    void aSentEventIdIsKept() throws Exception {
        String json = BODY.formatted("2025-10-24T03:00:00Z", "s").replace("{", "{\"eventId\":\"6F1C2A8E-3B7D-4E51-9A0C-2D4E8F6A1B01\",");
        Statement statement = StatementRules.request(StatementJson.read(json.getBytes(StandardCharsets.UTF_8)), Instant.now()).statement();
        assertThat(statement.eventId()).hasToString("6f1c2a8e-3b7d-4e51-9a0c-2d4e8f6a1b01");
    }
}
