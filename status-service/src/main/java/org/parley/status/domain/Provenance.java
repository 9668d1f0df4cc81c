package org.parley.status.domain;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.parley.contract.Statement;
import org.parley.contract.StatementType;

/**
 * Why a relationship is in its state: the fold itself ({@link RelationshipFold#evolve(Relationship, TimelineEntry,
 * FoldTrace)}, the same rules) taken entry by entry in fold order, recording as it goes which statements each
 * field's value rests on (the statement that set it and what its rule's guard read), the rule that set it, the
 * statements whose effect a later one replaced and those a correction retracted. Folding only the statements
 * a field cites gives that field's value again (ProvenanceProperties). Pure.
 * <p>
 * Memory: a few statements per single-valued field, at most {@link #KEPT} per standing position, the corrections'
 * targets, and the last {@link #KEPT} overridden and retracted.
 */
public final class Provenance implements FoldTrace {
    /** How many overridden and retracted statements are kept (the newest); the counts cover all. */
    public static final int KEPT = 100;

    /** A statement as cited: enough to find and check it. */
    public record Cause(UUID eventId, StatementType type, Instant occurredAt, Instant recordedAt, String source,
            String target, String speaker, String sourceUrl) {
        static final Comparator<Cause> FOLD_ORDER = Comparator.comparing(Cause::occurredAt)
                .thenComparing(Cause::recordedAt).thenComparing(Cause::eventId);

        public static Cause of(Statement s) {
            return new Cause(s.eventId(), s.type(), s.occurredAt(), s.recordedAt(), s.source(), s.target(),
                    s.speaker(), s.sourceUrl());
        }
    }

    /**
     * Why a field holds its value: the statements it rests on, in fold order, and the rule that last set it.
     * count: how many; statements holds them all, except for a position stated more than {@link #KEPT} times,
     * where it holds the first and the newest KEPT - 1 (a position's memory stays bounded however often it is
     * restated).
     */
    public record Why(List<Cause> statements, int count, String rule) {
        static final Why NOTHING = new Why(List.of(), 0, null);

        public boolean complete() {
            return statements.size() == count;
        }
    }

    /** statement's effect on field was replaced by the statement `by`. */
    public record Overridden(Cause statement, String field, UUID by) {
    }

    /** statement was removed by the correction `by`. */
    public record Retracted(Cause statement, Cause by) {
    }

    /**
     * fields: status, invitation, awaiting (awaitingResponseFrom and silentSince), meeting, lastEvent;
     * conditions and incentives: party → normalised text → why, in the state's order.
     */
    public record Explanation(Relationship state, Map<String, Why> fields, Map<String, Map<String, Why>> conditions,
            Map<String, Map<String, Why>> incentives, List<Overridden> overridden, long overriddenCount,
            List<Retracted> retracted, long retractedCount) {
    }

    /** The statements that stated one position: the first, the newest KEPT - 1, and how many. */
    private static final class Stated {
        final String rule;
        Cause first;
        final Deque<Cause> newest = new ArrayDeque<>();
        int count;

        Stated(String rule) {
            this.rule = rule;
        }

        void add(Cause cause) {
            count++;
            if (first == null) {
                first = cause;
            } else {
                keep(newest, cause, KEPT - 1);
            }
        }

        Why why() {
            List<Cause> causes = new ArrayList<>(KEPT);
            causes.add(first);
            causes.addAll(newest);
            return new Why(List.copyOf(causes), count, rule);
        }
    }

    /** CauseChain by eventId, and the rule. */
    private record Node(Map<UUID, Cause> causes, String rule) {
        static final Node NONE = new Node(Map.of(), null);
    }

    private Relationship state;
    private final Map<Field, Node> fields = new EnumMap<>(Field.class);
    /** The fields as they stood before the statement being traced. */
    private Map<Field, Node> before = Map.of();
    private UUID tracing;
    private final Map<Standing, Map<String, Map<String, Stated>>> positions = new EnumMap<>(Standing.class);
    private final Deque<Overridden> overridden = new ArrayDeque<>();
    private long overriddenCount;
    private final Deque<Cause> retracted = new ArrayDeque<>();
    private long retractedCount;
    /** Each correction's target → the first correction (in fold order) naming it. */
    private final Map<UUID, Cause> corrections = new HashMap<>();

    public Provenance(String relationshipId) {
        this.state = RelationshipFold.initial(relationshipId);
        for (Standing standing : Standing.values()) {
            positions.put(standing, new TreeMap<>());
        }
    }

    /** The next stored statement in fold order, with its effect. */
    public void accept(TimelineEntry entry) {
        switch (entry.effect()) {
            case APPLIED -> state = RelationshipFold.evolve(state, entry, this);
            case RETRACTED -> {
                retractedCount++;
                keep(retracted, Cause.of(entry.statement()), KEPT);
            }
            case RETRACTION -> corrections.putIfAbsent(entry.statement().retracts(), Cause.of(entry.statement()));
        }
    }

    public Relationship state() {
        return state;
    }

    @Override
    public void set(Statement statement, Field field, String rule, Set<Field> reads) {
        if (!statement.eventId().equals(tracing)) {
            tracing = statement.eventId();
            before = new EnumMap<>(fields);
        }
        Map<UUID, Cause> causes = new LinkedHashMap<>();
        causes.put(statement.eventId(), Cause.of(statement));
        for (Field read : reads) {
            causes.putAll(before.getOrDefault(read, Node.NONE).causes());
        }
        Node old = fields.getOrDefault(field, Node.NONE);
        // every statement replaces the last event, and OPEN is part of the status: not worth listing
        boolean listed = field != Field.LAST_EVENT && field != Field.OPEN;
        for (Cause cause : listed ? old.causes().values() : List.<Cause>of()) {
            if (!causes.containsKey(cause.eventId())) {
                overriddenCount++;
                keep(overridden, new Overridden(cause, name(field), statement.eventId()), KEPT);
            }
        }
        fields.put(field, new Node(causes, rule));
    }

    @Override
    public void stated(Statement statement, Standing standing, String party, String key, String rule) {
        positions.get(standing).computeIfAbsent(party, p -> new HashMap<>())
                .computeIfAbsent(key, k -> new Stated(rule)).add(Cause.of(statement));
    }

    public Explanation explain() {
        Map<String, Why> why = new LinkedHashMap<>();
        why.put("status", why(fields.get(Field.STATUS)));
        why.put("invitation", why(fields.get(Field.INVITATION)));
        // silentSince is the open invitation's issuedAt while it waits: it rests on status and invitation too
        Map<UUID, Cause> awaiting = new LinkedHashMap<>(fields.getOrDefault(Field.AWAITING, Node.NONE).causes());
        awaiting.putAll(fields.getOrDefault(Field.STATUS, Node.NONE).causes());
        awaiting.putAll(fields.getOrDefault(Field.INVITATION, Node.NONE).causes());
        String rule = fields.getOrDefault(Field.AWAITING, Node.NONE).rule();
        if (state.silentSince() != null) {
            rule = rule + "; silentSince is the open invitation's issuedAt while the status is INVITATION_OPEN or "
                    + "NO_RESPONSE (" + fields.get(Field.STATUS).rule() + ")";
        }
        why.put("awaiting", why(new Node(awaiting, rule)));
        why.put("meeting", why(fields.get(Field.MEETING)));
        why.put("lastEvent", why(fields.get(Field.LAST_EVENT)));
        List<Retracted> retractions = new ArrayList<>();
        for (Cause cause : retracted) {
            retractions.add(new Retracted(cause, corrections.get(cause.eventId())));
        }
        return new Explanation(state, why, positions(Standing.CONDITIONS, state.conditions()),
                positions(Standing.INCENTIVES, state.incentives()), List.copyOf(overridden), overriddenCount,
                retractions, retractedCount);
    }

    private Map<String, Map<String, Why>> positions(Standing kind, Map<String, List<Position>> standing) {
        Map<String, Map<String, Why>> byParty = new LinkedHashMap<>();
        standing.forEach((party, list) -> {
            Map<String, Why> byKey = new LinkedHashMap<>();
            Map<String, Stated> stated = positions.get(kind).getOrDefault(party, Map.of());
            for (Position position : list) {
                String key = Positions.normalise(position.text());
                Stated by = stated.get(key);
                byKey.put(key, by == null ? Why.NOTHING : by.why());
            }
            byParty.put(party, byKey);
        });
        return byParty;
    }

    private static Why why(Node node) {
        if (node == null) {
            return Why.NOTHING;
        }
        List<Cause> causes = new ArrayList<>(node.causes().values());
        causes.sort(Cause.FOLD_ORDER);
        return new Why(List.copyOf(causes), causes.size(), node.rule());
    }

    private static <T> void keep(Deque<T> newest, T item, int most) {
        newest.addLast(item);
        if (newest.size() > most) {
            newest.removeFirst();
        }
    }

    private static String name(Field field) {
        return switch (field) {
            case STATUS, OPEN -> "status";
            case INVITATION -> "invitation";
            case AWAITING -> "awaiting";
            case MEETING -> "meeting";
            case LAST_EVENT -> "lastEvent";
        };
    }
}
