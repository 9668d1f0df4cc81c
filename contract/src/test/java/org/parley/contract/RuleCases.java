package org.parley.contract;

import static org.parley.contract.StatementBodies.valid;
import static org.parley.contract.StatementBodies.with;
import static org.parley.contract.StatementBodies.without;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One failing case per rule of the event contract: used by StatementRulesTest, ingest-service's HTTP test
 * (400, field named, nothing published) and the schema agreement test.
 */
public final class RuleCases {

    /**
     * @param schema whether the JSON Schema can express the rule too (some rules only the service enforces:
     *               real country codes, source != target, the 24 h horizon...)
     */
    public record Case(String rule, Map<String, Object> event, String field, String message, boolean schema) {
        @Override
        public String toString() {
            return rule;
        }
    }

    private RuleCases() {
    }

    public static Stream<Case> all() {
        Map<String, Object> invitation = valid(StatementType.INVITATION_ISSUED);
        Map<String, Object> conditions = valid(StatementType.CONDITIONS_REITERATED);
        Map<String, Object> incentive = valid(StatementType.INCENTIVE_OFFERED);
        Map<String, Object> retraction = valid(StatementType.STATEMENT_RETRACTED);
        Map<String, Object> meeting = valid(StatementType.MEETING_SCHEDULED);
        String tomorrowAndABit = Instant.now().plus(25, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        return Stream.of(
                new Case("eventId must be a UUID", with(invitation, "eventId", "not-a-uuid"), "eventId", "UUID", true),
                new Case("type is required", without(invitation, "type"), "type", "required", true),
                new Case("type must be known", with(invitation, "type", "INVITATION_SENT"), "type", "one of", true),
                new Case("source is required", without(invitation, "source"), "source", "required", true),
                new Case("source must be upper case", with(invitation, "source", "usa"), "source", "upper case", true),
                new Case("source must be a real country", with(invitation, "source", "XXX"), "source", "not an ISO 3166-1", false),
                new Case("target is required", without(invitation, "target"), "target", "required", true),
                new Case("target must be alpha-3", with(invitation, "target", "KP"), "target", "alpha-3", true),
                new Case("target must differ from source", with(invitation, "target", "USA"), "target", "differ", false),
                new Case("occurredAt is required", without(invitation, "occurredAt"), "occurredAt", "required", true),
                new Case("occurredAt must be ISO-8601", with(invitation, "occurredAt", "24 Oct 2025"), "occurredAt", "ISO-8601", true),
                new Case("occurredAt must carry an offset", with(invitation, "occurredAt", "2025-10-24T03:00:00"), "occurredAt", "ISO-8601", true),
                new Case("occurredAt at most 24 h ahead", with(invitation, "occurredAt", tomorrowAndABit), "occurredAt", "24 hours", false),
                new Case("speaker at most 200 chars", with(invitation, "speaker", "s".repeat(201)), "speaker", "200", true),
                new Case("summary at most 2000 chars", with(invitation, "summary", "s".repeat(2001)), "summary", "2000", true),
                new Case("quote at most 2000 chars", with(invitation, "quote", "q".repeat(2001)), "quote", "2000", true),
                new Case("sourceUrl must be http(s)", with(invitation, "sourceUrl", "ftp://example.org/x"), "sourceUrl", "http", true),
                new Case("sourceUrl at most 2048 chars", with(invitation, "sourceUrl", "https://example.org/" + "a".repeat(2029)), "sourceUrl", "2048", true),
                new Case("text must be a string", with(invitation, "speaker", 42), "speaker", "string", true),
                new Case("conditions required by CONDITIONS_REITERATED", without(conditions, "conditions"), "conditions", "required for type", true),
                new Case("conditions not empty", with(conditions, "conditions", List.of()), "conditions", "1 to 20", true),
                new Case("conditions at most 20", with(conditions, "conditions", Collections.nCopies(21, "c")), "conditions", "1 to 20", true),
                new Case("conditions items not blank", with(conditions, "conditions", List.of("ok", "  ")), "conditions[1]", "blank", true),
                new Case("conditions items at most 500 chars", with(conditions, "conditions", List.of("c".repeat(501))), "conditions[0]", "500", true),
                new Case("conditions must be an array", with(conditions, "conditions", "one condition"), "conditions", "array", true),
                new Case("conditions only on CONDITIONS_REITERATED", with(invitation, "conditions", List.of("c")), "conditions", "not allowed", true),
                new Case("incentives required by INCENTIVE_OFFERED", without(incentive, "incentives"), "incentives", "required for type", true),
                new Case("incentives items must be strings", with(incentive, "incentives", List.of(1)), "incentives[0]", "string", true),
                new Case("incentives not on NO_RESPONSE", with(valid(StatementType.NO_RESPONSE), "incentives", List.of("i")), "incentives", "not allowed", true),
                new Case("retracts required by STATEMENT_RETRACTED", without(retraction, "retracts"), "retracts", "required for type", true),
                new Case("retracts must be a UUID", with(retraction, "retracts", "event-7"), "retracts", "UUID", true),
                new Case("retracts only on STATEMENT_RETRACTED", with(invitation, "retracts", retraction.get("retracts")), "retracts", "not allowed", true),
                new Case("retracts must not name itself", with(retraction, "retracts", retraction.get("eventId")), "retracts", "earlier event", false),
                new Case("meetingAt must be ISO-8601", with(meeting, "meetingAt", "next week"), "meetingAt", "ISO-8601", true),
                new Case("meetingAt only on MEETING_*", with(invitation, "meetingAt", "2025-12-01T02:00:00Z"), "meetingAt", "not allowed", true),
                new Case("location only on MEETING_*", with(invitation, "location", "Panmunjom"), "location", "not allowed", true),
                new Case("location at most 200 chars", with(meeting, "location", "l".repeat(201)), "location", "200", true),
                new Case("location not blank", with(meeting, "location", " "), "location", "blank", false),
                new Case("recordedAt is server-set", with(invitation, "recordedAt", "2025-10-24T03:00:00Z"), "recordedAt", "server", false),
                new Case("cameoCode must fit the type", with(invitation, "cameoCode", "125"), "cameoCode", "not a CAMEO code for type", true),
                new Case("cameoCode keeps its leading zero", with(invitation, "cameoCode", "36"), "cameoCode", "leading zeros", true),
                new Case("cameoCode must be a string", with(invitation, "cameoCode", 36), "cameoCode", "string", true),
                new Case("cameoCode not on NO_RESPONSE", with(valid(StatementType.NO_RESPONSE), "cameoCode", "011"), "cameoCode", "not a coded event", true),
                new Case("unknown fields are refused", with(invitation, "sentiment", "warm"), "sentiment", "unknown field", true));
    }
}
