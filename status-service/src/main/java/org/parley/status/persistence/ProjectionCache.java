package org.parley.status.persistence;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The projections a writer last committed, least recently used evicted first: a replay reads its own writes
 * back from here instead of from the database; the live writer keeps them with their row's xmin, which the
 * database confirms before one is used (other instances write the live tables too). One thread at a time.
 */
final class ProjectionCache<V> {
    private final int capacity;
    private final LinkedHashMap<String, V> entries = new LinkedHashMap<>(1024, 0.75f, true);

    ProjectionCache(int capacity) {
        this.capacity = capacity;
    }

    /** The cached ones among ids. */
    Map<String, V> getAll(Collection<String> ids) {
        Map<String, V> found = new HashMap<>();
        for (String id : ids) {
            V cached = entries.get(id);
            if (cached != null) {
                found.put(id, cached);
            }
        }
        return found;
    }

    void putAll(Map<String, V> committed) {
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
