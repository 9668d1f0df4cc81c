package org.parley.status.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.parley.status.domain.FoldKey;

/**
 * The opaque ?cursor of a timeline page: the fold position of the last entry of the page before, so that a
 * page continues exactly after it even while statements are added (a late report lands in the page it
 * sorts into).
 */
public record TimelineCursor(FoldKey after) {
    /** Longer than any cursor this service issues (two instants and a UUID, in base64). */
    static final int MAX_LENGTH = 160;

    private static boolean outOfRange(Instant at) {
        return at.isBefore(QueryParams.EARLIEST) || at.isAfter(QueryParams.LATEST);
    }

    public String encode() {
        String text = after.occurredAt() + "|" + after.recordedAt() + "|" + after.eventId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Throws IllegalArgumentException for anything this service did not issue. */
    public static TimelineCursor decode(String cursor) {
        if (cursor.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("not a timeline cursor");
        }
        String[] parts = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8).split("\\|", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a timeline cursor");
        }
        try {
            FoldKey after = new FoldKey(Instant.parse(parts[0]), Instant.parse(parts[1]),
                    UUID.fromString(parts[2]));
            if (outOfRange(after.occurredAt()) || outOfRange(after.recordedAt())) {
                throw new IllegalArgumentException("not a timeline cursor");
            }
            return new TimelineCursor(after);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a timeline cursor", e);
        }
    }
}
