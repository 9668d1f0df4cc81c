package org.parley.status.api;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.parley.contract.EventCoding;
import org.parley.contract.Statement;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One statement as a PLOVER event record (PLOVER manual, "Data Fields"): one JSON object per line. id is the
 * eventId; link, PLOVER's common reference across related events, is the relationship; the source URL is the
 * citation's url. cameo_code and goldstein are named fields beyond PLOVER's, which it allows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "id", "date", "time", "actor", "recipient", "event", "mode", "context", "text", "link",
        "cite_info", "eventId", "cameo_code", "goldstein" })
@Schema(description = "A PLOVER event record")
public record PloverRecord(
        @Schema(description = "Unique identifier: the statement's eventId") String id,
        @Schema(description = "occurredAt's date in UTC, YYYY-MM-DD") String date,
        @Schema(description = "occurredAt's time in UTC: date + 'T' + time is an ISO-8601 date-time") String time,
        @Schema(description = "[{code: source}], with the speaker as entity_text") List<Entity> actor,
        @Schema(description = "[{code: target}]") List<Entity> recipient,
        @Schema(description = "PLOVER event category, one item") List<String> event,
        @Schema(description = "PLOVER mode; empty where PLOVER has none") List<String> mode,
        @Schema(description = "PLOVER context") List<String> context,
        @Schema(description = "The statement's summary, else its quote") String text,
        @Schema(description = "The relationship id, common to its events") String link,
        @JsonProperty("cite_info") @Schema(description = "Where the statement was reported") CiteInfo citeInfo,
        @Schema(description = "Parley's eventId") String eventId,
        @JsonProperty("cameo_code") @Schema(description = "CAMEO code, a string (leading zeros kept)") String cameoCode,
        @Schema(description = "Goldstein score of the CAMEO code") double goldstein) {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_LOCAL_TIME; // seconds always, fraction if any

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entity(String code, @JsonProperty("entity_text") String entityText) {
    }

    public record CiteInfo(String url) {
    }

    /** The record of a coded statement in effect. */
    public static PloverRecord of(Statement statement, EventCoding.Code code) {
        var at = statement.occurredAt().atOffset(ZoneOffset.UTC);
        return new PloverRecord(statement.eventId().toString(), DATE.format(at), TIME.format(at) + "Z",
                List.of(new Entity(statement.source(), statement.speaker())),
                List.of(new Entity(statement.target(), null)),
                List.of(code.event().name()),
                code.mode() == null ? List.of() : List.of(code.mode()),
                code.context() == null ? List.of() : List.of(code.context()),
                statement.summary() != null ? statement.summary() : statement.quote(),
                statement.relationshipId(),
                statement.sourceUrl() == null ? null : new CiteInfo(statement.sourceUrl()),
                statement.eventId().toString(), code.cameo(), code.goldstein());
    }
}
