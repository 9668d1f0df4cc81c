package org.parley.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A generated history over every pair of the given countries, in publication order: all statement types,
 * occurredAt out of order (a fifth of the statements report something hours older than the one before),
 * retractions of earlier statements, of statements not sent yet and of unknown ids, and re-deliveries
 * (exact copies of earlier statements, later in the stream).
 */
public final class Corpus {
    private static final Instant BASE = Instant.parse("2025-01-01T00:00:00Z");
    private static final String[] TYPES = { "INVITATION_ISSUED", "NO_RESPONSE", "CONDITIONS_REITERATED",
            "INCENTIVE_OFFERED", "INVITATION_ACCEPTED", "INVITATION_DECLINED", "INVITATION_WITHDRAWN",
            "MEETING_SCHEDULED", "MEETING_HELD", "STATEMENT_RETRACTED" };
    private static final int[] WEIGHTS = { 14, 10, 14, 12, 8, 6, 5, 6, 4, 8 };
    private static final String[] POSITIONS = { "Sanctions relief", "Security guarantees", "Economic aid",
            "Recognition as a nuclear power", "Denuclearisation first", "  sanctions   RELIEF " };

    private Corpus() {
    }

    public static List<String> pairs(List<String> countries) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < countries.size(); i++) {
            for (int j = i + 1; j < countries.size(); j++) {
                pairs.add(Parley.relationshipId(countries.get(i), countries.get(j)));
            }
        }
        return pairs;
    }

    /** statements distinct statements over pairs(countries), plus about 4% re-deliveries. */
    public static List<ObjectNode> generate(List<String> countries, int statements, long seed) {
        Random rng = new Random(seed);
        List<String> pairs = pairs(countries);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < statements; i++) {
            ids.add(new UUID(rng.nextLong(), rng.nextLong()));
        }
        List<ObjectNode> out = new ArrayList<>();
        List<ObjectNode> sent = new ArrayList<>();
        for (int i = 0; i < statements; i++) {
            String pair = pairs.get(rng.nextInt(pairs.size()));
            boolean flip = rng.nextBoolean();
            String source = flip ? pair.substring(4) : pair.substring(0, 3);
            String target = flip ? pair.substring(0, 3) : pair.substring(4);
            Instant occurredAt = BASE.plusSeconds(60L * i).plusNanos(rng.nextInt(1000) * 1000L);
            if (rng.nextInt(5) == 0) {
                occurredAt = occurredAt.minusSeconds(rng.nextInt(6 * 3600));
            }
            String type = type(rng);
            ObjectNode node = Parley.statement(type, source, target, occurredAt);
            node.put("eventId", ids.get(i).toString());
            node.put("recordedAt", occurredAt.plusSeconds(rng.nextInt(120)).toString());
            switch (type) {
                case "INVITATION_ISSUED" -> {
                    if (rng.nextBoolean()) {
                        Parley.list(node, "incentives", positions(rng));
                    }
                }
                case "CONDITIONS_REITERATED" -> Parley.list(node, "conditions", positions(rng));
                case "INCENTIVE_OFFERED" -> Parley.list(node, "incentives", positions(rng));
                case "MEETING_SCHEDULED", "MEETING_HELD" -> {
                    node.put("meetingAt", occurredAt.plusSeconds(86_400L * rng.nextInt(30)).toString());
                    if (rng.nextBoolean()) {
                        node.put("location", rng.nextBoolean() ? "Panmunjom" : "Singapore");
                    }
                }
                case "STATEMENT_RETRACTED" -> node.put("retracts", retracted(rng, sent, ids, i, pair).toString());
                default -> {
                }
            }
            if (rng.nextInt(3) == 0) {
                node.put("summary", "Statement " + i);
            }
            out.add(node);
            sent.add(node);
            if (rng.nextInt(25) == 0 && !sent.isEmpty()) {
                out.add(sent.get(rng.nextInt(sent.size())).deepCopy()); // a re-delivery
            }
        }
        return out;
    }

    private static UUID retracted(Random rng, List<ObjectNode> sent, List<UUID> ids, int i, String pair) {
        int kind = rng.nextInt(10);
        if (kind < 7) {
            for (int tries = 0; tries < 50 && !sent.isEmpty(); tries++) {
                ObjectNode earlier = sent.get(sent.size() - 1 - rng.nextInt(Math.min(sent.size(), 400)));
                if (Parley.relationshipId(earlier.get("source").asText(), earlier.get("target").asText()).equals(pair)) {
                    return UUID.fromString(earlier.get("eventId").asText());
                }
            }
        }
        if (kind < 9 && i + 1 < ids.size()) {
            return ids.get(i + 1 + rng.nextInt(Math.min(ids.size() - i - 1, 300))); // not sent yet
        }
        return new UUID(rng.nextLong(), rng.nextLong()); // never sent
    }

    private static String type(Random rng) {
        int total = 0;
        for (int w : WEIGHTS) {
            total += w;
        }
        int pick = rng.nextInt(total);
        for (int t = 0; t < TYPES.length; t++) {
            pick -= WEIGHTS[t];
            if (pick < 0) {
                return TYPES[t];
            }
        }
        throw new IllegalStateException();
    }

    private static String[] positions(Random rng) {
        int n = 1 + rng.nextInt(2);
        String[] picked = new String[n];
        for (int i = 0; i < n; i++) {
            picked[i] = POSITIONS[rng.nextInt(POSITIONS.length)];
        }
        return picked;
    }
}
