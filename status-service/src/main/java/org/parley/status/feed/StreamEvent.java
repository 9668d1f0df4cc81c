package org.parley.status.feed;

import java.util.List;

import org.parley.status.domain.Relationship;
import org.parley.status.persistence.ChangeFeed.Change;
import org.parley.status.view.RelationshipView;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One change as the streams send it, rendered at most once per form however many clients receive it: the
 * projection (GET /relationships/{a}/{b} body) for a relationship's stream, the summary for the list stream.
 */
final class StreamEvent {
    /** The list stream's data: GET /relationships' summary plus the version. */
    record Summary(String id, List<String> parties, String status, int eventCount, java.time.Instant lastEventAt,
            long version) {
    }

    final Change change;
    private final ObjectMapper json;
    private volatile Relationship state;
    private volatile String projection;
    private volatile String summary;

    StreamEvent(Change change, ObjectMapper json) {
        this.change = change;
        this.json = json;
    }

    long seq() {
        return change.seq();
    }

    String data(boolean detail) {
        try {
            if (detail) {
                String rendered = projection;
                if (rendered == null) {
                    projection = rendered = json.writeValueAsString(
                            RelationshipView.of(state(), change.version(), change.updatedAt()));
                }
                return rendered;
            }
            String rendered = summary;
            if (rendered == null) {
                Relationship r = state();
                summary = rendered = json.writeValueAsString(new Summary(r.id(), r.parties(), change.status(),
                        r.eventCount(), r.lastEventAt(), change.version()));
            }
            return rendered;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render relationship " + change.id(), e);
        }
    }

    private Relationship state() throws JsonProcessingException {
        Relationship r = state;
        if (r == null) {
            state = r = json.readValue(change.state(), Relationship.class);
        }
        return r;
    }
}
