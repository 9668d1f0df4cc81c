package org.parley.status.api;

import java.util.List;

import org.parley.contract.Statement;
import org.parley.status.domain.TimelineEntry;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** GET /relationships/{a}/{b}/timeline: every stored statement in fold order, marked with its effect. */
public record TimelineView(String id, List<Item> entries) {

    /** The statement's fields, its effect, and retracted = true when a correction removed it. */
    public record Item(@JsonUnwrapped Statement statement, TimelineEntry.Effect effect, boolean retracted) {
    }

    static TimelineView of(String id, List<TimelineEntry> entries) {
        return new TimelineView(id, entries.stream()
                .map(e -> new Item(e.statement(), e.effect(), e.effect() == TimelineEntry.Effect.RETRACTED))
                .toList());
    }
}
