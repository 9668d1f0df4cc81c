package org.parley.status.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import org.parley.contract.Statement;
import org.parley.contract.StatementType;
import org.parley.status.domain.Histories.History;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Refolds bounded by snapshots, over generated histories (ties on occurredAt and recordedAt, corrections of
 * any statement, of corrections and of unknown ids, duplicates): resuming from a snapshot gives what folding
 * from the first statement gives, and the writer's path (append or refold from the last snapshot before the
 * change, against a store kept in memory) keeps both the projection and the snapshots equal to a fresh fold's.
 */
class RefoldProperties {

    @Provide
    Arbitrary<History> histories() {
        return Histories.histories();
    }

    @Property(tries = 1000)
    void foldingFromAnySnapshotPlusTheRemainingStatementsEqualsFoldingFromScratch(
            @ForAll("histories") History history, @ForAll @IntRange(max = 40) int cut) {
        List<TimelineEntry> timeline = RelationshipFold.timeline(history.statements());
        int k = Math.min(cut, timeline.size());
        Relationship prefix = RelationshipFold.initial(history.relationshipId());
        for (TimelineEntry entry : timeline.subList(0, k)) {
            prefix = RelationshipFold.evolve(prefix, entry);
        }
        FoldSnapshot snapshot = new FoldSnapshot(
                k == 0 ? null : FoldKey.of(timeline.get(k - 1).statement()), prefix);
        Relationship scratch = RelationshipFold.fold(history.relationshipId(), history.statements());

        Relationship resumed = RelationshipFold.withRetracted(snapshot.state(), scratch.retractedIds());
        for (TimelineEntry entry : timeline.subList(k, timeline.size())) {
            resumed = RelationshipFold.evolve(resumed, entry);
        }

        assertThat(snapshot.state().retractedIds()).isEmpty();
        assertThat(resumed).isEqualTo(scratch);
    }

    @Property(tries = 1000)
    void theWritersPathKeepsProjectionAndSnapshotsEqualToAFreshFold(@ForAll("histories") History history,
            @ForAll long shuffle, @ForAll boolean mostlyInOrder, @ForAll @IntRange(min = 1, max = 4) int interval,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 5) Integer> batches) {
        List<Statement> arrival = arrival(history.statements(), shuffle, mostlyInOrder);
        MemoryStore store = new MemoryStore();
        Relationship current = RelationshipFold.initial(history.relationshipId());
        int next = 0;
        for (int batch = 0; next < arrival.size(); batch++) {
            int size = Math.min(batches.get(batch % batches.size()), arrival.size() - next);
            List<Statement> fresh = new ArrayList<>();
            for (Statement s : arrival.subList(next, next + size)) {
                if (store.stored.putIfAbsent(s.eventId(), s) == null) {
                    fresh.add(s);
                }
            }
            next += size;
            store.reset();
            if (!RelationshipFold.needsRefold(current, fresh)) {
                current = Refold.append(current, fresh, interval, s -> store.snapshots.put(s.position(), s));
                Statistics.label("path").collect("append");
            } else {
                FoldKey changedFrom = Refold.changedFrom(current, fresh, store.stored).orElse(null);
                current = Refold.refold(current, fresh, interval, store);
                Statistics.label("path").collect(changedFrom == null ? "retracted ids only"
                        : store.resumedAfter == null ? "refold from the first statement" : "refold from a snapshot");
                assertBounded(store, changedFrom, interval);
            }

            assertThat(current).isEqualTo(RelationshipFold.fold(history.relationshipId(), store.stored.values()));
            assertThat(store.snapshots).isEqualTo(freshSnapshots(history.relationshipId(), store.stored.values(), interval));
        }
        Statistics.label("path").coverage(c -> c.check("refold from a snapshot").percentage(p -> p > 5));
    }

    /** A replay's bulk load folds each relationship once, after storing all of it: what the writer's path keeps. */
    @Property(tries = 500)
    void foldingTheWholeStoredHistoryOnceEqualsTheWritersPath(@ForAll("histories") History history,
            @ForAll long shuffle, @ForAll @IntRange(min = 1, max = 4) int interval) {
        List<Statement> arrival = arrival(history.statements(), shuffle, true);
        MemoryStore store = new MemoryStore();
        Relationship current = RelationshipFold.initial(history.relationshipId());
        for (Statement s : arrival) {
            if (store.stored.putIfAbsent(s.eventId(), s) == null) {
                current = RelationshipFold.needsRefold(current, List.of(s))
                        ? Refold.refold(current, List.of(s), interval, store)
                        : Refold.append(current, List.of(s), interval, snapshot -> store.snapshots.put(snapshot.position(), snapshot));
            }
        }
        MemoryStore loaded = new MemoryStore();
        loaded.stored.putAll(store.stored);
        Set<UUID> retracted = store.stored.values().stream()
                .filter(s -> s.type() == StatementType.STATEMENT_RETRACTED && s.retracts() != null)
                .map(Statement::retracts).collect(Collectors.toSet());

        Relationship once = Refold.fromFirst(history.relationshipId(), retracted, interval, loaded);

        assertThat(once).isEqualTo(current);
        assertThat(loaded.snapshots).isEqualTo(store.snapshots);
        assertThat(loaded.resumedAfter).isNull();
    }

    @Property(tries = 500)
    void snapshotsStayExactWhenTheIntervalChanges(@ForAll("histories") History history, @ForAll long shuffle,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 5) Integer> batches,
            @ForAll @Size(min = 2, max = 4) List<@IntRange(min = 1, max = 6) Integer> intervals) {
        List<Statement> arrival = arrival(history.statements(), shuffle, true);
        MemoryStore store = new MemoryStore();
        Relationship current = RelationshipFold.initial(history.relationshipId());
        int next = 0;
        for (int batch = 0; next < arrival.size(); batch++) {
            int size = Math.min(batches.get(batch % batches.size()), arrival.size() - next);
            int interval = intervals.get(batch % intervals.size()); // a restart with another setting
            List<Statement> fresh = new ArrayList<>();
            for (Statement s : arrival.subList(next, next + size)) {
                if (store.stored.putIfAbsent(s.eventId(), s) == null) {
                    fresh.add(s);
                }
            }
            next += size;
            current = RelationshipFold.needsRefold(current, fresh)
                    ? Refold.refold(current, fresh, interval, store)
                    : Refold.append(current, fresh, interval, s -> store.snapshots.put(s.position(), s));

            assertThat(current).isEqualTo(RelationshipFold.fold(history.relationshipId(), store.stored.values()));
            // Wherever a snapshot stands, it holds the fold up to there.
            Map<FoldKey, Relationship> prefixes = new TreeMap<>();
            Relationship state = RelationshipFold.initial(history.relationshipId());
            for (TimelineEntry entry : RelationshipFold.timeline(store.stored.values())) {
                state = RelationshipFold.evolve(state, entry);
                prefixes.put(FoldKey.of(entry.statement()), new FoldSnapshot(null, state).state());
            }
            store.snapshots.forEach((at, snapshot) -> assertThat(snapshot.state()).isEqualTo(prefixes.get(at)));
        }
    }

    @Example
    void aDeepRefoldHandsItsSnapshotsToTheStoreAFewAtATimeNotAllAtTheEnd() {
        List<Statement> history = new ArrayList<>();
        for (int minute = 1; minute <= 1_000; minute++) {
            history.add(Statements.by("USA", minute % 2 == 0 ? StatementType.INVITATION_ISSUED
                    : StatementType.NO_RESPONSE, "PRK").at(minute).build());
        }
        String id = history.get(0).relationshipId();
        MemoryStore store = new MemoryStore();
        history.forEach(s -> store.stored.put(s.eventId(), s));
        Relationship current = Refold.append(RelationshipFold.initial(id), history, 1,
                s -> store.snapshots.put(s.position(), s));
        Statement late = Statements.by("PRK", StatementType.NO_RESPONSE, "USA").at(0).build();
        store.stored.put(late.eventId(), late);
        store.reset();

        current = Refold.refold(current, List.of(late), 1, store);

        assertThat(store.resumedAfter).isNull(); // from the first statement: 1,001 snapshots laid again
        assertThat(store.largestSave).isEqualTo(Refold.SNAPSHOTS_HELD);
        assertThat(store.snapshots).isEqualTo(freshSnapshots(id, store.stored.values(), 1));
        assertThat(current).isEqualTo(RelationshipFold.fold(id, store.stored.values()));
    }

    /** What a refold read: the statements after the snapshot it resumed from, of which fewer than interval in effect before the change. */
    private static void assertBounded(MemoryStore store, FoldKey changedFrom, int interval) {
        if (changedFrom == null) {
            assertThat(store.streamed).isFalse();
            return;
        }
        List<TimelineEntry> after = store.after(store.resumedAfter);
        assertThat(store.read).isEqualTo(after.size());
        long inEffectBeforeTheChange = after.stream()
                .filter(e -> FoldKey.of(e.statement()).compareTo(changedFrom) < 0)
                .filter(e -> e.effect() == TimelineEntry.Effect.APPLIED).count();
        assertThat(inEffectBeforeTheChange).isLessThan(interval);
    }

    /** The snapshots a fold from the first statement lays: after each statement in effect that brings eventCount to a multiple of interval. */
    private static Map<FoldKey, FoldSnapshot> freshSnapshots(String id, Collection<Statement> stored, int interval) {
        Map<FoldKey, FoldSnapshot> snapshots = new TreeMap<>();
        Relationship state = RelationshipFold.initial(id);
        for (TimelineEntry entry : RelationshipFold.timeline(stored)) {
            state = RelationshipFold.evolve(state, entry);
            if (entry.effect() == TimelineEntry.Effect.APPLIED && state.eventCount() % interval == 0) {
                FoldKey at = FoldKey.of(entry.statement());
                snapshots.put(at, new FoldSnapshot(at, state));
            }
        }
        return snapshots;
    }

    /** Shuffled, or in fold order with about one statement in five arriving late. */
    private static List<Statement> arrival(List<Statement> statements, long seed, boolean mostlyInOrder) {
        Random random = new Random(seed);
        List<Statement> arrival = new ArrayList<>(statements);
        if (!mostlyInOrder) {
            Collections.shuffle(arrival, random);
            return arrival;
        }
        arrival.sort(Statement.FOLD_ORDER);
        for (int i = 0; i < arrival.size() / 5; i++) {
            int from = random.nextInt(arrival.size());
            arrival.add(Math.min(arrival.size() - 1, from + 1 + random.nextInt(6)), arrival.remove(from));
        }
        return arrival;
    }

    /** One relationship's storage, in memory, noting what the last refold read. */
    private static final class MemoryStore implements Refold.Store<RuntimeException> {
        final Map<UUID, Statement> stored = new LinkedHashMap<>();
        final TreeMap<FoldKey, FoldSnapshot> snapshots = new TreeMap<>();
        boolean streamed;
        FoldKey resumedAfter;
        int read;
        int largestSave;

        void reset() {
            streamed = false;
            resumedAfter = null;
            read = 0;
            largestSave = 0;
        }

        List<TimelineEntry> after(FoldKey position) {
            return RelationshipFold.timeline(stored.values()).stream()
                    .filter(e -> position == null || FoldKey.of(e.statement()).compareTo(position) > 0).toList();
        }

        @Override
        public Map<UUID, Statement> statements(Collection<UUID> ids) {
            Map<UUID, Statement> found = new LinkedHashMap<>();
            ids.forEach(id -> {
                if (stored.containsKey(id)) {
                    found.put(id, stored.get(id));
                }
            });
            return found;
        }

        @Override
        public Optional<FoldSnapshot> lastSnapshotBefore(FoldKey position) {
            return Optional.ofNullable(snapshots.lowerEntry(position)).map(Map.Entry::getValue);
        }

        @Override
        public void dropSnapshotsFrom(FoldKey position) {
            snapshots.tailMap(position, true).clear();
        }

        @Override
        public void saveSnapshots(List<FoldSnapshot> saved) {
            largestSave = Math.max(largestSave, saved.size());
            saved.forEach(s -> snapshots.put(s.position(), s));
        }

        @Override
        public void inFoldOrder(FoldKey after, Set<UUID> retracted, Refold.Sink<RuntimeException> sink) {
            streamed = true;
            resumedAfter = after;
            // The effects as the whole stored history gives them: the refold's retracted ids must agree.
            assertThat(retracted).isEqualTo(stored.values().stream()
                    .filter(s -> s.type() == StatementType.STATEMENT_RETRACTED && s.retracts() != null)
                    .map(Statement::retracts).collect(Collectors.toSet()));
            for (TimelineEntry entry : after(after)) {
                read++;
                sink.accept(entry);
            }
        }
    }
}
