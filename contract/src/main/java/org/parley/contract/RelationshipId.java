package org.parley.contract;

import java.util.List;

/** A bilateral relationship is named by its two party codes, sorted: PRK-USA. It is the record key. */
public final class RelationshipId {
    private RelationshipId() {
    }

    public static String of(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "-" + b : b + "-" + a;
    }

    public static List<String> parties(String relationshipId) {
        return List.of(relationshipId.substring(0, 3), relationshipId.substring(4));
    }
}
