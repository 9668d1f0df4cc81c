package org.parley.ingest.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.parley.contract.AuthContext;
import org.parley.contract.Statement;
import org.parley.contract.StatementType;
import org.parley.support.http.ProblemException;

/**
 * What one client may do, from its bearer token: its roles (the groups claim) and its beat, the parties whose
 * relationships it may post about (the parties claim: ISO alpha-3 codes, or "*" for a wire service).
 */
public record ClientScope(String principal, Set<String> roles, Set<String> parties) {
    public static final String POST = "post";
    public static final String RETRACT = "retract";
    public static final String EDITOR = AuthContext.EDITOR;
    public static final String ADMIN = "admin";
    public static final String PARTIES_CLAIM = "parties";
    public static final String EVERY_PARTY = "*";

    public static ClientScope of(JsonWebToken token) {
        Object claim = token.getClaim(PARTIES_CLAIM);
        Set<String> parties = new TreeSet<>();
        if (claim instanceof Collection<?> values) {
            values.forEach(value -> parties.add(unquoted(value)));
        } else if (claim != null) {
            parties.add(unquoted(claim));
        }
        return new ClientScope(token.getName(), new TreeSet<>(token.getGroups()), parties);
    }

    // The claim arrives as JSON values (jakarta.json.JsonString prints with its quotes).
    private static String unquoted(Object value) {
        String text = value instanceof jakarta.json.JsonString json ? json.getString() : String.valueOf(value);
        return text.strip();
    }

    /** Refuses (403 naming the rule) a statement this client may not post. */
    public void check(Statement statement) {
        check(statement, "");
    }

    /** The same for every item of a batch; the message names the first item at fault. */
    public void checkAll(List<Statement> statements) {
        for (int i = 0; i < statements.size(); i++) {
            check(statements.get(i), "item [" + i + "]: ");
        }
    }

    private void check(Statement statement, String where) {
        if (statement.type() == StatementType.STATEMENT_RETRACTED) {
            if (!roles.contains(RETRACT) && !roles.contains(EDITOR)) {
                throw ProblemException.forbidden(where + "rule retract-role: a retraction needs the role "
                        + RETRACT + " (or " + EDITOR + "); " + principal + " has " + roles);
            }
        } else if (!roles.contains(POST)) {
            throw ProblemException.forbidden(where + "rule post-role: a statement needs the role " + POST + "; "
                    + principal + " has " + roles);
        }
        if (!parties.contains(EVERY_PARTY) && !parties.contains(statement.source()) && !parties.contains(statement.target())) {
            throw ProblemException.forbidden(where + "rule parties: " + principal + " may post about relationships of "
                    + (parties.isEmpty() ? "no party" : String.join(", ", parties)) + " only, not "
                    + statement.source() + "–" + statement.target());
        }
    }

    /** Who posts, as the records say it. */
    public AuthContext poster() {
        return new AuthContext(AuthContext.APP_USER, principal, List.copyOf(roles));
    }
}
