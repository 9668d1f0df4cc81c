package org.parley.contract;

import java.util.List;

/**
 * Who posted a record: the CloudEvents authcontext extension (authtype, authid) plus the poster's roles, which
 * status-service needs to decide at fold time whether a retraction by someone other than the original poster
 * counts (only an editor's does).
 *
 * @param type CloudEvents authtype: "app_user" for a client with a bearer token
 * @param id the principal (the token's upn or sub)
 * @param roles the principal's roles when it posted
 */
public record AuthContext(String type, String id, List<String> roles) {
    public static final String APP_USER = "app_user";
    public static final String EDITOR = "editor";

    public AuthContext {
        roles = List.copyOf(roles);
    }

    public boolean editor() {
        return roles.contains(EDITOR);
    }
}
