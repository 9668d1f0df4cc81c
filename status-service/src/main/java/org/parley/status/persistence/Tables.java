package org.parley.status.persistence;

import java.util.List;

/**
 * The tables one generation of the projection lives in. The live service reads and writes {@link #LIVE};
 * a replay builds {@link #NEXT} beside it and then renames it into place (see ReplayStore).
 */
public record Tables(String statement, String relationship, String consumerOffset, String foldSnapshot) {

    public static final Tables LIVE = new Tables("statement", "relationship", "consumer_offset", "fold_snapshot");
    public static final Tables NEXT = LIVE.suffixed("_next");
    /** Where the replaced generation is parked by the switch until it is dropped. */
    public static final Tables OLD = LIVE.suffixed("_old");

    public Tables {
        for (String name : new String[] { statement, relationship, consumerOffset, foldSnapshot }) {
            if (name == null || !name.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("not a plain table name: " + name);
            }
        }
    }

    public Tables suffixed(String suffix) {
        return new Tables(statement + suffix, relationship + suffix, consumerOffset + suffix, foldSnapshot + suffix);
    }

    public List<String> all() {
        return List.of(statement, relationship, consumerOffset, foldSnapshot);
    }
}
