package org.parley.status.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    /**
     * The page's ETag: a hash of what it shows (each statement's eventId, whose content never changes once
     * stored, and its effect) and of its next cursor.
     */
    static String etag(List<TimelineEntry> entries, String next) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (TimelineEntry entry : entries) {
                digest.update((entry.statement().eventId() + ":" + entry.effect() + ";").getBytes(StandardCharsets.UTF_8));
            }
            digest.update(String.valueOf(next).getBytes(StandardCharsets.UTF_8));
            return ETags.of("t-" + HexFormat.of().formatHex(digest.digest(), 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static TimelineView of(String id, List<TimelineEntry> entries, String next) {
        return new TimelineView(id, entries.stream()
                .map(e -> new Item(e.statement(), e.effect(), e.effect() == TimelineEntry.Effect.RETRACTED, e.postedBy()))
                .toList(), next);
    }
}
