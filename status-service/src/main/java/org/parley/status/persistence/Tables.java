package org.parley.status.persistence;

/**
 * The tables one generation of the projection lives in. The live service uses {@link #LIVE}; an operator
 * replay can later write a fresh generation beside it and swap.
 */
public record Tables(String statement, String relationship, String consumerOffset) {

    public static final Tables LIVE = new Tables("statement", "relationship", "consumer_offset");

    public Tables {
        for (String name : new String[] { statement, relationship, consumerOffset }) {
            if (name == null || !name.matches("[a-z_][a-z0-9_]*")) {
                throw new IllegalArgumentException("not a plain table name: " + name);
            }
        }
    }
}
