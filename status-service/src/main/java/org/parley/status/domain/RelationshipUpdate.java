package org.parley.status.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.parley.contract.Statement;

/**
 * The update step of a projection, beside the fold and as pure: (stored states + newly stored statements)
 * → (new states, versions, what changed). The caller fetches the stored states, hands over the statements
 * the batch stored for the first time, loads the histories {@link Plan#needHistory} names, and saves what
 * {@link #apply} returns (fetch state → pure update → save).
 */
public final class RelationshipUpdate {

    private RelationshipUpdate() {
    }

    /** A projection as stored: its state and its version (the count of state-changing statements). */
    public record Versioned(Relationship state, long version) {
    }

    /**
     * What a batch does to its relationships, before any history is read. moves: per relationship the new
     * statements change, how far its version moves; needHistory: those among them that need a refold (a
     * late statement, a retraction), in the order first seen.
     */
    public record Plan(Map<String, Integer> moves, List<String> needHistory) {
        public boolean changes(String id) {
            return moves.containsKey(id);
        }
    }

    /**
     * stored: the relationships' stored projections (absent: none yet); fresh: per relationship its newly
     * stored statements in arrival (offset) order.
     */
    public static Plan plan(Map<String, Versioned> stored, Map<String, List<Statement>> fresh) {
        Map<String, Integer> moves = new LinkedHashMap<>();
        List<String> needHistory = new ArrayList<>();
        fresh.forEach((id, statements) -> {
            Relationship before = stateOf(id, stored.get(id));
            int changes = RelationshipFold.changes(before, statements);
            if (changes > 0) {
                moves.put(id, changes);
                if (RelationshipFold.needsRefold(before, statements)) {
                    needHistory.add(id);
                }
            }
        });
        return new Plan(moves, List.copyOf(needHistory));
    }

    /**
     * The new projection of one relationship the plan moves. history: every stored statement of it (the new
     * ones included) when the plan says it needs its history; ignored otherwise (may be null).
     */
    public static Versioned apply(Plan plan, String id, Versioned stored, List<Statement> fresh,
            Collection<Statement> history) {
        Integer move = plan.moves().get(id);
        if (move == null) {
            throw new IllegalArgumentException(id + " does not change in this plan");
        }
        Relationship now = RelationshipFold.apply(stateOf(id, stored), fresh, () -> {
            if (history == null) {
                throw new IllegalStateException(id + " needs its history: the plan lists it");
            }
            return history;
        });
        return new Versioned(now, (stored == null ? 0 : stored.version()) + move);
    }

    /**
     * The new projection of one relationship the plan moves without its history (not in needHistory); the
     * snapshots due on the way go to snapshots.
     */
    public static Versioned append(Plan plan, String id, Versioned stored, List<Statement> fresh, int interval,
            Consumer<FoldSnapshot> snapshots) {
        return new Versioned(Refold.append(stateOf(id, stored), fresh, interval, snapshots), moved(plan, id, stored));
    }

    /**
     * The new projection of one relationship the plan lists in needHistory, refolded from the last snapshot
     * before the first statement whose effect changes (see {@link Refold}).
     */
    public static <E extends Exception> Versioned refold(Plan plan, String id, Versioned stored, List<Statement> fresh,
            int interval, Refold.Store<E> store) throws E {
        long version = moved(plan, id, stored);
        return new Versioned(Refold.refold(stateOf(id, stored), fresh, interval, store), version);
    }

    private static long moved(Plan plan, String id, Versioned stored) {
        Integer move = plan.moves().get(id);
        if (move == null) {
            throw new IllegalArgumentException(id + " does not change in this plan");
        }
        return (stored == null ? 0 : stored.version()) + move;
    }

    private static Relationship stateOf(String id, Versioned stored) {
        return stored == null ? RelationshipFold.initial(id) : stored.state();
    }
}
