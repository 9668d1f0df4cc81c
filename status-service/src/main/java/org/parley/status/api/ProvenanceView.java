package org.parley.status.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.parley.contract.StatementType;
import org.parley.status.domain.Position;
import org.parley.status.domain.Provenance.Cause;
import org.parley.status.domain.Provenance.Explanation;
import org.parley.status.domain.Provenance.Why;
import org.parley.status.domain.Relationship;

/**
 * GET /relationships/{a}/{b}/provenance: each field's value with the statements it rests on and the rule that set
 * it; the statements a later one overrode and those a correction retracted. A field citing more than
 * {@link #LISTED} statements lists the first and the newest (statementCount says how many).
 */
@Schema(description = "Why the relationship is in its state: per field, the statements behind its value")
public record ProvenanceView(
        String id,
        @Schema(description = "The instant asked for; null for the current state") Instant asOf,
        Map<String, FieldView> fields,
        @Schema(description = "Per party, its standing conditions in first-stated order") Map<String, List<PositionView>> conditions,
        @Schema(description = "Per party, its standing incentives in first-stated order") Map<String, List<PositionView>> incentives,
        @Schema(description = "The newest statements whose effect on a field a later statement replaced") List<OverriddenView> overridden,
        long overriddenCount,
        @Schema(description = "The newest statements a correction removed, with the correction") List<RetractedView> retracted,
        long retractedCount) {

    static final int LISTED = 100;

    /** A cited statement: what it is and where it was reported. */
    public record StatementView(UUID eventId, StatementType type, Instant occurredAt,
            @Schema(description = "The party that made the statement") String source, String target, String speaker,
            String sourceUrl) {
        static StatementView of(Cause c) {
            return c == null ? null : new StatementView(c.eventId(), c.type(), c.occurredAt(), c.source(), c.target(),
                    c.speaker(), c.sourceUrl());
        }
    }

    public record FieldView(@Schema(description = "The field's current value") Object value,
            @Schema(description = "The fold rule that set it; null while nothing has") String rule,
            @Schema(description = "The statements it rests on, in fold order") List<StatementView> statements,
            int statementCount) {
    }

    public record PositionView(String text, Instant firstStatedAt, Instant lastStatedAt, int timesStated, String rule,
            List<StatementView> statements, int statementCount) {
    }

    public record OverriddenView(StatementView statement, String field, UUID by) {
    }

    public record RetractedView(StatementView statement, @Schema(description = "The correction") StatementView by) {
    }

    static ProvenanceView of(Explanation why, Instant asOf) {
        Relationship r = why.state();
        Map<String, FieldView> fields = new LinkedHashMap<>();
        Map<String, Object> awaiting = new LinkedHashMap<>();
        awaiting.put("awaitingResponseFrom", r.awaitingResponseFrom());
        awaiting.put("silentSince", r.silentSince());
        fields.put("status", field(r.status(), why.fields().get("status")));
        fields.put("invitation", field(r.invitation(), why.fields().get("invitation")));
        fields.put("awaiting", field(awaiting, why.fields().get("awaiting")));
        fields.put("meeting", field(r.meeting(), why.fields().get("meeting")));
        fields.put("lastEvent", field(r.lastEvent(), why.fields().get("lastEvent")));
        return new ProvenanceView(r.id(), asOf, fields, positions(r.conditions(), why.conditions()),
                positions(r.incentives(), why.incentives()),
                newestFirst(why.overridden().stream()
                        .map(o -> new OverriddenView(StatementView.of(o.statement()), o.field(), o.by())).toList()),
                why.overriddenCount(),
                newestFirst(why.retracted().stream()
                        .map(t -> new RetractedView(StatementView.of(t.statement()), StatementView.of(t.by()))).toList()),
                why.retractedCount());
    }

    private static FieldView field(Object value, Why why) {
        return new FieldView(value, why.rule(), listed(why.statements()), why.count());
    }

    private static Map<String, List<PositionView>> positions(Map<String, List<Position>> standing,
            Map<String, Map<String, Why>> why) {
        Map<String, List<PositionView>> byParty = new LinkedHashMap<>();
        standing.forEach((party, positions) -> {
            if (positions.isEmpty()) {
                return;
            }
            List<Why> whys = new ArrayList<>(why.getOrDefault(party, Map.of()).values());
            List<PositionView> views = new ArrayList<>();
            for (int i = 0; i < positions.size(); i++) {
                Position p = positions.get(i);
                Why w = i < whys.size() ? whys.get(i) : null; // in the same order: both follow the state's list
                views.add(new PositionView(p.text(), p.firstStatedAt(), p.lastStatedAt(), p.timesStated(),
                        w == null ? null : w.rule(), w == null ? List.of() : listed(w.statements()),
                        w == null ? 0 : w.count()));
            }
            byParty.put(party, views);
        });
        return byParty;
    }

    private static <T> List<T> newestFirst(List<T> items) {
        List<T> reversed = new ArrayList<>(items);
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    /** All, or the first and the newest LISTED - 1. */
    private static List<StatementView> listed(List<Cause> causes) {
        List<Cause> shown = causes.size() <= LISTED ? causes : new ArrayList<>(causes.subList(0, 1));
        if (causes.size() > LISTED) {
            shown.addAll(causes.subList(causes.size() - (LISTED - 1), causes.size()));
        }
        return shown.stream().map(StatementView::of).toList();
    }
}
