package org.parley.status.domain;

import java.util.Set;

import org.parley.contract.Statement;

/**
 * What the rules do, told as they apply (see {@link Evolution}): the provenance fold listens to record why each
 * field holds its value; the plain fold passes {@link #NONE}. A field's value rests on the statement that set it
 * and on what the fields its rule read held then (a guard such as "an invitation is open to the source").
 */
public interface FoldTrace {
    FoldTrace NONE = new FoldTrace() {
        @Override
        public void set(Statement statement, Field field, String rule, Set<Field> reads) {
        }

        @Override
        public void stated(Statement statement, Standing standing, String party, String key, String rule) {
        }
    };

    /** The single-valued facts of the projection. OPEN: whether an invitation waits for an answer. */
    enum Field { STATUS, OPEN, INVITATION, AWAITING, MEETING, LAST_EVENT }

    /** A party's standing positions: its conditions or its incentives. */
    enum Standing { CONDITIONS, INCENTIVES }

    /**
     * statement gave field a new value by rule; the value also rests on what reads held just before it (empty
     * when the rule sets the field whatever the state).
     */
    void set(Statement statement, Field field, String rule, Set<Field> reads);

    /** statement stated (or restated) party's position with normalised text key. */
    void stated(Statement statement, Standing standing, String party, String key, String rule);
}
