package org.parley.status.persistence;

import java.sql.SQLException;

/** What a failure was caused by, looking through the chain of causes (drivers and pools wrap them). */
public final class CauseChain {
    private CauseChain() {
    }

    /** Some SQLException in the chain carries this SQLState (e.g. 42P01 undefined table, 55P03 lock timeout). */
    public static boolean sqlState(Throwable e, String state) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    public static boolean isA(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
