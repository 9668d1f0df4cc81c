package org.parley.status.persistence;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.parley.status.domain.RelationshipUpdate.Versioned;

/**
 * The projections a writer last committed, least recently used evicted first, so that a batch need not read
 * them back (and parse their JSON) from the database. One thread at a time.
 */
final class ProjectionCache {

    /**
     * A projection as committed. xmin: the id of the transaction that wrote its row as PostgreSQL's xmin column
     * shows it (a row another writer changed since has another), or null where no other writer can change it
     * (a replay's tables).
     */
    record Entry(Versioned projection, String xmin) {
    }

    private final int capacity;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);

    ProjectionCache(int capacity) {
        this.capacity = capacity;
    }

    /** The cached ones among ids. */
    Map<String, Entry> getAll(Collection<String> ids) {
        Map<String, Entry> found = new HashMap<>();
        for (String id : ids) {
            Entry cached = entries.get(id);
            if (cached != null) {
                found.put(id, cached);
            }
        }
        return found;
    }

    void putAll(Map<String, Entry> committed) {
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
