package org.parley.status.persistence;

import java.util.List;

/**
 * The tables one generation of the projection lives in. The live service reads and writes {@link #LIVE};
 * a replay builds {@link #NEXT} beside it and then renames it into place (see ReplayStore).
 */
public record Generation(String statement, String relationship, String consumerOffset, String foldSnapshot) {

    public static final Generation LIVE = new Generation("statement", "relationship", "consumer_offset", "fold_snapshot");
    public static final Generation NEXT = LIVE.suffixed("_next");
    /** Where the replaced generation is parked by the switch until it is dropped. */
    public static final Generation OLD = LIVE.suffixed("_old");

    public Generation {
        for (String name : new String[] { statement, relationship, consumerOffset, foldSnapshot }) {
            if (name == null || !name.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("not a plain table name: " + name);
            }
        }
    }

    public Generation suffixed(String suffix) {
        return new Generation(statement + suffix, relationship + suffix, consumerOffset + suffix, foldSnapshot + suffix);
    }

    public List<String> all() {
        return List.of(statement, relationship, consumerOffset, foldSnapshot);
    }
}
