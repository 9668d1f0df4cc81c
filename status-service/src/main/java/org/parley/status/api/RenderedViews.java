package org.parley.status.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import org.parley.status.domain.Relationship;
import org.parley.status.persistence.RelationshipReads;
import org.parley.status.persistence.RelationshipReads.Head;
import org.parley.status.persistence.RelationshipReads.Stored;
import org.parley.status.view.RelationshipView;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The live view of each relationship, rendered once per stored row and kept in a bounded cache (least
 * recently and least frequently used views leave first). A cached view is only served after the row's
 * (version, updatedAt) was read in the same request and found equal, so it is never stale: every write, by
 * any instance or by a replay's switch, moves updatedAt.
 *
 * <p>The ETag is the version plus a hash of the stored state (jsonb's canonical text): a replay whose fold
 * changed the content but not the version still changes the ETag, while a replay that reproduces the
 * content keeps it.
 */
@ApplicationScoped
public class RenderedViews {
    /** Rendered views kept at most (each a few KiB). */
    static final int MAX_RENDERED = 10_000;

    public record Rendered(long version, Instant updatedAt, String etag, byte[] body) {
        boolean current(Head head) {
            return version == head.version() && updatedAt.equals(head.updatedAt());
        }
    }

    private final Cache<String, Rendered> rendered = Caffeine.newBuilder().maximumSize(MAX_RENDERED).build();

    @Inject
    ObjectMapper json;

    @Inject
    RelationshipReads reads;

    /** The view for the row whose head was just read; empty if the row is gone meanwhile. */
    public Optional<Rendered> current(String id, Head head) {
        Rendered view = rendered.getIfPresent(id);
        if (view != null && view.current(head)) {
            return Optional.of(view);
        }
        Optional<Rendered> fresh = reads.stored(id).map(stored -> render(id, stored));
        fresh.ifPresent(v -> rendered.put(id, v));
        return fresh;
    }

    private Rendered render(String id, Stored stored) {
        try {
            Relationship state = json.readValue(stored.state(), Relationship.class);
            byte[] body = json.writeValueAsBytes(RelationshipView.of(state, stored.version(), stored.updatedAt()));
            return new Rendered(stored.version(), stored.updatedAt(), etag(stored), body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored state of " + id + " is unreadable", e);
        }
    }

    static String etag(Stored stored) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(stored.state().getBytes(StandardCharsets.UTF_8));
            return ETags.of(stored.version() + "-" + HexFormat.of().formatHex(digest, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
