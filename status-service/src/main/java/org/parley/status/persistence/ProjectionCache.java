package org.parley.status.persistence;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.parley.status.domain.RelationshipUpdate.Versioned;

/**
 * The projections a single writer last committed, least recently used evicted first: a replay reads its
 * own writes back from here instead of from the database. One thread at a time.
 */
final class ProjectionCache {
    private final int capacity;
    private final LinkedHashMap<String, Versioned> entries = new LinkedHashMap<>(1024, 0.75f, true);

    ProjectionCache(int capacity) {
        this.capacity = capacity;
    }

    /** The cached ones among ids. */
    Map<String, Versioned> getAll(Collection<String> ids) {
        Map<String, Versioned> found = new HashMap<>();
        for (String id : ids) {
            Versioned cached = entries.get(id);
            if (cached != null) {
                found.put(id, cached);
            }
        }
        return found;
    }

    void putAll(Map<String, Versioned> committed) {
        entries.putAll(committed);
        var eldest = entries.entrySet().iterator();
        while (entries.size() > capacity && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    void clear() {
        entries.clear();
    }
}
