package org.parley.status.api;

import java.util.List;

import org.parley.contract.Statement;
import org.parley.status.domain.TimelineEntry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * GET /relationships/{a}/{b}/timeline: a page of the stored statements in fold order, each marked with its
 * effect; next is the cursor of the following page (absent on the last one).
 */
public record TimelineView(String id, List<Item> entries, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {

    /**
     * The statement's fields, its effect, retracted = true when a correction removed it, and postedBy: the
     * client that posted it (absent for statements recorded before ingest named its clients).
     */
    public record Item(@JsonUnwrapped Statement statement, TimelineEntry.Effect effect, boolean retracted,
            @JsonInclude(JsonInclude.Include.NON_NULL) String postedBy) {
    }

    static TimelineView of(String id, List<TimelineEntry> entries, String next) {
        return new TimelineView(id, entries.stream()
                .map(e -> new Item(e.statement(), e.effect(), e.effect() == TimelineEntry.Effect.RETRACTED, e.postedBy()))
                .toList(), next);
    }
}
