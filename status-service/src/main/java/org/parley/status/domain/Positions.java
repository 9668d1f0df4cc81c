package org.parley.status.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Standing positions (conditions, incentives) are matched by normalised text, so rewordings refresh them. */
final class Positions {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private Positions() {
    }

    /** Trimmed, whitespace collapsed, lower case: the identity of a position. */
    static String normalise(String text) {
        // Every statement's positions are normalised on every fold step: plain ASCII with single spaces (nearly
        // every text) skips the regular expression, which gives the same result there.
        return plain(text) ? text.toLowerCase(Locale.ROOT)
                : WHITESPACE.matcher(text.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
    }

    /** Printable ASCII, no space at either end and none doubled. */
    private static boolean plain(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c > 0x7e || c < 0x20 || c == ' ' && (i == 0 || i == n - 1 || text.charAt(i - 1) == ' ')) {
                return false;
            }
        }
        return true;
    }

    /** The texts of one statement, distinct by normalised text, first wording kept; blanks dropped. */
    static List<String> distinct(List<String> texts) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String text : texts) {
            if (text != null && !text.isBlank()) {
                byKey.putIfAbsent(normalise(text), text);
            }
        }
        return List.copyOf(byKey.values());
    }

    /** texts followed by those of added not already among them. */
    static List<String> union(List<String> texts, List<String> added) {
        List<String> all = new ArrayList<>(texts);
        all.addAll(added);
        return distinct(all);
    }

    /** One statement restating texts at a time: new positions are appended, known ones refreshed once each. */
    static List<Position> restate(List<Position> standing, List<String> texts, Instant at) {
        Map<String, Position> byKey = new LinkedHashMap<>();
        for (Position position : standing) {
            byKey.put(normalise(position.text()), position);
        }
        for (String text : distinct(texts)) {
            byKey.merge(normalise(text), new Position(text, at, at, 1), Positions::refresh);
        }
        return List.copyOf(byKey.values());
    }

    private static Position refresh(Position known, Position restated) {
        return new Position(known.text(),
                min(known.firstStatedAt(), restated.firstStatedAt()),
                max(known.lastStatedAt(), restated.lastStatedAt()),
                known.timesStated() + 1);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isAfter(b) ? b : a;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isBefore(b) ? b : a;
    }
}
