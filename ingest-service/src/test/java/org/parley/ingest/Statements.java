package org.parley.ingest;

import java.util.List;

import org.parley.contract.StatementBodies;
import org.parley.support.security.DevTokens;

/** ingest's test bodies: the contract's valid statements (valid, with, without, many, json, parse) and the token. */
public final class Statements extends StatementBodies {
    /** A wire service's development token: may post and retract about every party. */
    public static final String TOKEN = DevTokens.mint("test-wire", List.of("post", "retract"), List.of("*"));

    private Statements() {
    }
}
