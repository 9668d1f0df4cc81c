package org.parley.status.persistence;

import java.sql.SQLException;

/** A read of the projections failed; {@link #unavailable()} tells a database out of reach from a bug. */
public class ReadFailedException extends RuntimeException {

    public ReadFailedException(String what, SQLException cause) {
        super(what, cause);
    }

    /**
     * PostgreSQL is unreachable, shutting down, refusing connections, the reads' pool could not hand out a
     * connection in time, or the read ran past its statement_timeout: worth retrying later (a 503), not a fault
     * of the request.
     */
    public boolean unavailable() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") // connection exception
                        || state.startsWith("57P") // admin/crash shutdown, cannot connect now
                        || state.equals("53300") // too many connections
                        || state.equals("57014"))) { // statement_timeout: the reads' pool is busy or slow
                    return true;
                }
                // Agroal, when no connection could be acquired within its acquisition timeout
                if (state == null && sql.getMessage() != null && sql.getMessage().contains("acquisition timeout")) {
                    return true;
                }
            }
            if (t instanceof java.net.ConnectException || t instanceof java.net.SocketException) {
                return true;
            }
        }
        return false;
    }
}
