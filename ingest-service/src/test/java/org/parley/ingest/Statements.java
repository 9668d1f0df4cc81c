package org.parley.ingest;

import org.parley.contract.StatementBodies;

/** ingest's test bodies: the contract's valid statements (valid, with, without, many, json, parse) and the token. */
public final class Statements extends StatementBodies {
    public static final String TOKEN = "dev-ingest-token";

    private Statements() {
    }
}
