package org.parley.status.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.parley.contract.Statement;
import org.parley.contract.StatementRules;
import org.parley.contract.StatementType;

/** The record parser (the contract's decoder) and its reasons for the DLQ, without infrastructure. */
class StatementParserTest {
    private static final String EVENT_ID = "6f1c2a8e-3b7d-4e51-9a0c-2d4e8f6a1b01";

    static boolean isIso(String code) {
        return Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA3).contains(code);
    }

    private static String issued(String extra) {
        return """
                {"eventId":"%s","type":"INVITATION_ISSUED","source":"USA","target":"PRK",
                 "occurredAt":"2025-10-24T03:00:00.123456789Z","recordedAt":"2025-10-24T12:05:12.481+09:00"%s}"""
                .formatted(EVENT_ID, extra);
    }

    private static StatementParser.Result parse(String key, String value) {
        return StatementParser.parse(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static Statement parsed(String value) {
        StatementParser.Result result = parse("PRK-USA", value);
        assertThat(result).isInstanceOf(StatementParser.Parsed.class);
        return ((StatementParser.Parsed) result).statement();
    }

    private static String rejected(String key, String value) {
        StatementParser.Result result = parse(key, value);
        assertThat(result).isInstanceOf(StatementParser.Rejected.class);
        return ((StatementParser.Rejected) result).reason();
    }

    @Test
    void parsesAStatementKeepingExactInstants() {
        Statement s = parsed(issued(",\"incentives\":[\"Sanctions relief\",\"Aid\"],\"speaker\":\"Donald Trump\""));
        assertThat(s.eventId()).isEqualTo(UUID.fromString(EVENT_ID));
        assertThat(s.type()).isEqualTo(StatementType.INVITATION_ISSUED);
        assertThat(s.source()).isEqualTo("USA");
        assertThat(s.target()).isEqualTo("PRK");
        assertThat(s.occurredAt()).isEqualTo(Instant.parse("2025-10-24T03:00:00.123456789Z"));
        assertThat(s.recordedAt()).isEqualTo(Instant.parse("2025-10-24T03:05:12.481Z"));
        assertThat(s.incentives()).containsExactly("Sanctions relief", "Aid");
        assertThat(s.conditions()).isEmpty();
        assertThat(s.speaker()).isEqualTo("Donald Trump");
        assertThat(s.summary()).isNull();
        assertThat(s.retracts()).isNull();
    }

    @Test
    void thePayloadIsCompactJsonThatParsesBackToTheSameStatement() {
        StatementParser.Parsed parsed = (StatementParser.Parsed) parse("PRK-USA",
                issued(",\n  \"summary\" : \"Emoji \\ud83d\\ude00 and \\\"quotes\\\"\""));
        assertThat(parsed.payload()).doesNotContain("\n").contains("\"summary\":");
        assertThat(StatementRules.stored(parsed.payload())).isEqualTo(parsed.statement());
        assertThat(parsed.statement().summary()).isEqualTo("Emoji \uD83D\uDE00 and \"quotes\"");
    }

    @Test
    void forStorageThePayloadIsTheRecordsOwnTextUnlessItDoesNotStartTheObject() {
        String value = issued(",\n  \"summary\" : \"Emoji \\ud83d\\ude00\"");
        StatementParser.Parsed kept = (StatementParser.Parsed) StatementParser.parseForStorage(
                "PRK-USA".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        assertThat(kept.payload()).isEqualTo(value);
        assertThat(StatementRules.stored(kept.payload())).isEqualTo(kept.statement());
        assertThat(kept.statement()).isEqualTo(parsed(value));

        byte[] bom = ("\uFEFF" + value).getBytes(StandardCharsets.UTF_8);
        StatementParser.Parsed normalised = (StatementParser.Parsed) StatementParser.parseForStorage(
                "PRK-USA".getBytes(StandardCharsets.UTF_8), bom);
        assertThat(normalised.payload()).startsWith("{").doesNotContain("\n");
        assertThat(normalised.statement()).isEqualTo(kept.statement());
    }

    @Test
    void rejectsWhatIsNotJson() {
        assertThat(rejected("PRK-USA", "{not json")).startsWith("invalid JSON");
        assertThat(rejected("PRK-USA", issued("") + " {}")).startsWith("invalid JSON");
        assertThat(rejected("PRK-USA", "")).startsWith("invalid JSON");
        assertThat(rejected("PRK-USA", issued(",\"eventId\":\"" + EVENT_ID + "\""))).startsWith("invalid JSON");
        assertThat(rejected("PRK-USA", null)).isEqualTo("no value (tombstone)");
        assertThat(rejected("PRK-USA", "[1,2]")).isEqualTo("contract: expected a JSON object (one event)");
        assertThat(rejected("PRK-USA", "\"text\"")).isEqualTo("contract: expected a JSON object (one event)");
    }

    @Test
    void rejectsContractBreaksWithAPreciseReason() {
        assertThat(rejected("PRK-USA", "{}")).startsWith("contract: eventId: is required; type: is required");
        assertThat(rejected("PRK-USA", issued(",\"mood\":\"tense\""))).isEqualTo("contract: mood: unknown field");
        // JSON null is an absent field, on the topic as over HTTP (one rule)
        assertThat(parsed(issued(",\"speaker\":null")).speaker()).isNull();
        assertThat(rejected("PRK-USA", issued(",\"speaker\":7"))).isEqualTo("contract: speaker: must be a string");
        assertThat(rejected("PRK-USA", issued(",\"conditions\":[\"x\"]")))
                .isEqualTo("contract: conditions: is not allowed for type INVITATION_ISSUED");
        assertThat(rejected("PRK-USA", issued(",\"incentives\":[]"))).contains("1 to 20 items");
        assertThat(rejected("PRK-USA", issued(",\"incentives\":[\" \\t\"]"))).contains("must not be blank");
        assertThat(rejected("PRK-USA", issued(",\"location\":\"Panmunjom\"")))
                .isEqualTo("contract: location: is not allowed for type INVITATION_ISSUED");
        assertThat(rejected("PRK-USA", issued(",\"sourceUrl\":\"https://a b\""))).contains("sourceUrl");
        assertThat(rejected("PRK-USA", issued(",\"summary\":\"" + "s".repeat(2001) + "\""))).contains("2000");
        assertThat(rejected("PRK-USA", issued(",\"summary\":\"NUL \\u0000\""))).contains("NUL");
        assertThat(rejected("PRK-USA", issued(",\"summary\":\"lone \\ud800\""))).contains("surrogate");
        assertThat(rejected("PRK-USA", issued("").replace("INVITATION_ISSUED", "INVITED")))
                .startsWith("contract: type: must be one of INVITATION_ISSUED");
        assertThat(rejected("PRK-USA", issued("").replace(EVENT_ID, "1-1-1-1-1"))).contains("eventId: must be a UUID");
        assertThat(rejected("PRK-USA", issued("").replace("03:00:00.123456789Z", "03:00Z")))
                .contains("occurredAt: must be an ISO-8601 date-time");
        assertThat(rejected("PRK-USA", issued("").replace("03:00:00.123456789Z", "03:00:00")))
                .contains("occurredAt: ");
        assertThat(rejected("PRK-USA", issued("").replace("\"PRK\"", "\"prk\""))).contains("target: ");
        // valid RFC 3339, but PostgreSQL cannot store them: they would wedge the partition
        assertThat(rejected("PRK-USA", issued("").replace("2025-10-24T03:00:00.123456789Z", "0000-06-01T00:00:00Z")))
                .contains("within the years 0001 to 9999");
        assertThat(rejected("PRK-USA", issued("").replace("2025-10-24T03:00:00.123456789Z", "9999-12-31T23:00:00-05:00")))
                .contains("within the years 0001 to 9999");
    }

    @Test
    void typeSpecificFieldsAreRequired() {
        String conditions = """
                {"eventId":"%s","type":"CONDITIONS_REITERATED","source":"PRK","target":"USA",
                 "occurredAt":"2025-09-21T12:00:00Z","recordedAt":"2025-09-22T01:00:00Z"}""".formatted(EVENT_ID);
        assertThat(rejected("PRK-USA", conditions)).isEqualTo("contract: conditions: is required for type CONDITIONS_REITERATED");
        String retraction = conditions.replace("CONDITIONS_REITERATED", "STATEMENT_RETRACTED");
        assertThat(rejected("PRK-USA", retraction)).isEqualTo("contract: retracts: is required for type STATEMENT_RETRACTED");
        String incentive = conditions.replace("CONDITIONS_REITERATED", "INCENTIVE_OFFERED");
        assertThat(rejected("PRK-USA", incentive)).isEqualTo("contract: incentives: is required for type INCENTIVE_OFFERED");
        // MEETING_* may name a time and place, need not
        Statement meeting = parsed(conditions.replace("CONDITIONS_REITERATED", "MEETING_HELD"));
        assertThat(meeting.meetingAt()).isNull();
        Statement retracted = parsed(retraction.replace("}", ",\"retracts\":\"" + UUID.randomUUID() + "\"}"));
        assertThat(retracted.retracts()).isNotNull();
        assertThat(retracted.conditions()).isEqualTo(List.of());
    }

    @Test
    void countriesMustBeRealAndDifferentAndTheKeyTheRelationshipId() {
        assertThat(rejected("PRK-USA", issued("").replace("\"PRK\"", "\"XYZ\"")))
                .isEqualTo("contract: target: is not an ISO 3166-1 alpha-3 country code");
        assertThat(rejected("USA-USA", issued("").replace("\"PRK\"", "\"USA\"")))
                .isEqualTo("contract: target: must differ from source");
        assertThat(rejected("USA-PRK", issued("")))
                .isEqualTo("contract: record key 'USA-PRK', expected the relationshipId 'PRK-USA'");
        assertThat(rejected(null, issued(""))).contains("record key is missing");
        assertThat(isIso("PRK")).isTrue();
    }
}
