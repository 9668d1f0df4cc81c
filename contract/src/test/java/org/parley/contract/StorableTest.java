package org.parley.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The edge cases of what is storable, decided once (docs/api.md, "The event contract"), on both paths. */
class StorableTest {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    /** A JSON body with one field added to a valid MEETING_SCHEDULED (which permits every field but the lists). */
    static String body(String field, String jsonValue) {
        return """
                {"type":"MEETING_SCHEDULED","source":"USA","target":"PRK","occurredAt":"2025-10-24T03:00:00Z",
                 "%s": %s}""".formatted(field, jsonValue);
    }

    static StatementRules.Result post(String json) throws Exception {
        return StatementRules.request(StatementJson.read(json.getBytes(StandardCharsets.UTF_8)), NOW);
    }

    @ParameterizedTest(name = "{0} = {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            // the bodies of issue 10, once answered 202 and then dead-lettered
            "summary    | \"a\\u0000b\"                               | NUL",
            "summary    | \"a\\ud800b\"                               | unpaired surrogate",
            "summary    | \"\\udc00\"                                 | unpaired surrogate",
            "occurredAt | \"0000-06-01T00:00:00Z\"                    | years 0001 to 9999",
            "occurredAt | \"0001-01-01T00:30:00+01:00\"               | years 0001 to 9999",
            "meetingAt  | \"9999-12-31T23:59:59-01:00\"               | years 0001 to 9999",
            "sourceUrl  | \"https://example.org/a\\ufeff\"            | invisible",
            "location   | \"\\u00a0\"                                 | blank",
            "location   | \"  \"                                      | blank",
            "location   | \"\\ufeff\\u200b\"                          | blank",
            "speaker    | \"\"                                        | blank",
            // the others decided with them
            "summary    | \"bell\\u0007\"                             | control character U+0007",
            "summary    | \"del\\u007f\"                              | control character U+007F",
            "quote      | \"c1\\u0085\"                               | control character U+0085",
            "occurredAt | \"2016-12-31T23:59:60Z\"                    | leap second",
            "occurredAt | \"2025-10-24T03:00:00+19:00\"               | ISO-8601",
            "occurredAt | \"2025-10-24T03:00Z\"                       | ISO-8601",
            "occurredAt | \"+12025-10-24T03:00:00Z\"                  | ISO-8601",
            "occurredAt | \"2025-02-30T03:00:00Z\"                    | ISO-8601",
            "occurredAt | \"2025-10-24T03:00:00.1234567891Z\"         | ISO-8601",
            "occurredAt | 1761274800                                  | must be a string",
            "source     | 840                                         | must be a string",
            "summary    | true                                        | must be a string",
            "summary    | [\"a\"]                                     | must be a string",
            "eventId    | 1                                           | must be a string",
            "sourceUrl  | \"https://exa mple.org/\"                   | URL",
            "sourceUrl  | \"https://\"                                | URL",
    })
    void refusedOnTheField(String field, String value, String message) throws Exception {
        String json = body(field, value);
        if (field.equals("occurredAt") || field.equals("source")) {
            json = json.replaceFirst("\"" + field + "\":\"[^\"]*\",", "");
        }
        StatementRules.Result result = post(json);
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.message()).contains(message);
        });
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "summary    | \"tab\\tand\\nlines\\r\\n\"",
            "summary    | \"emoji \\ud83d\\ude00 paired\"",
            "summary    | \"\\u00a0visible after a no-break space\"",
            "location   | \"Gen\\u00e8ve\"",
            "occurredAt | \"0001-01-01T00:00:00Z\"",
            "occurredAt | \"0001-01-01T00:30:00+00:30\"",
            "meetingAt  | \"9999-12-31T23:59:59.999999999Z\"",
            "meetingAt  | \"9999-12-31T23:59:59+01:00\"",
            "occurredAt | \"2025-10-24t03:00:00z\"",
            "occurredAt | \"2025-10-24T03:00:00-00:00\"",
            "occurredAt | \"2025-10-24T03:00:00+18:00\"",
            "occurredAt | \"2025-10-24T03:00:00.5+09:00\"",
            "sourceUrl  | \"HTTPS://example.org/\\u00e9t\\u00e9\"",
    })
    void acceptedAndPublishedReadable(String field, String value) throws Exception {
        String json = body(field, value);
        if (field.equals("occurredAt")) {
            json = json.replaceFirst("\"occurredAt\":\"[^\"]*\",", "");
        }
        StatementRules.Result result = post(json);
        assertThat(result.errors()).isEmpty();

        Statement published = result.statement().withRecordedAt(NOW);
        byte[] value2 = StatementJson.write(published);
        StatementRules.Decoded decoded = StatementRules.record(published.relationshipId().getBytes(StandardCharsets.UTF_8), value2);
        assertThat(decoded).isEqualTo(new StatementRules.Accepted(published, StatementJson.JSON.readTree(value2)));
    }

    @Test
    void aByteOrderMarkBeforeTheBodyIsSkipped() throws Exception {
        byte[] json = body("location", "\"Geneva\"").getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        assertThat(StatementRules.request(StatementJson.read(withBom), NOW).errors()).isEmpty();
    }

    @Test
    void limitsCountCodePointsAndAreInclusive() throws Exception {
        assertThat(post(body("speaker", "\"" + "\\ud83d\\ude00".repeat(200) + "\"")).errors()).isEmpty();
        assertThat(post(body("speaker", "\"" + "s".repeat(201) + "\"")).errors()).extracting(FieldError::field).containsExactly("speaker");
        assertThat(post(body("location", "\"" + "l".repeat(200) + "\"")).errors()).isEmpty();
    }

    @Test
    void aRecordMustNotRetractItself() throws Exception {
        UUID id = UUID.randomUUID();
        String record = """
                {"eventId":"%s","type":"STATEMENT_RETRACTED","source":"USA","target":"PRK","occurredAt":"2025-10-24T03:00:00Z",
                 "recordedAt":"2025-10-24T03:00:01Z","retracts":"%s"}""".formatted(id, id);
        assertThat(StatementRules.record("PRK-USA".getBytes(StandardCharsets.UTF_8), record.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new StatementRules.Rejected("contract: retracts: must name an earlier event, not this one"));
    }

    @Test
    void aRecordMayNotReportMoreThanADayAheadOfItsRecording() throws Exception {
        String record = """
                {"eventId":"%s","type":"NO_RESPONSE","source":"USA","target":"PRK","occurredAt":"2025-10-26T03:00:00Z",
                 "recordedAt":"2025-10-24T03:00:00Z"}""".formatted(UUID.randomUUID());
        JsonNode node = StatementJson.read(record.getBytes(StandardCharsets.UTF_8));
        assertThat(StatementRules.record(node).errors()).extracting(FieldError::field).containsExactly("occurredAt");
    }

    @Test
    void nullIsAbsent() throws Exception {
        assertThat(post(body("location", "null")).errors()).isEmpty();
        assertThat(post(body("eventId", "null")).statement().eventId()).isNotNull();
    }
}
