package org.parley.status.api;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Admin calls need an admin bearer token: none or a malformed header is 401 (with the challenge), a token
 * that is not an admin token 403, and so is every call when no admin token is configured.
 */
@Provider
@AdminTokenRequired
@Priority(Priorities.AUTHENTICATION)
public class AdminTokenFilter implements ContainerRequestFilter {
    private static final String SCHEME = "Bearer ";
    private static final String CHALLENGE = "Bearer realm=\"parley-admin\"";

    @Inject
    AdminTokens tokens;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!tokens.configured()) {
            throw ProblemException.forbidden("No admin token is configured (PARLEY_ADMIN_TOKENS): admin calls are off");
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            throw ProblemException.unauthorized("Admin calls need an Authorization: Bearer <token> header", CHALLENGE);
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || authorization.substring(SCHEME.length()).isBlank()) {
            throw ProblemException.unauthorized("The Authorization header must be Bearer <token>", CHALLENGE);
        }
        if (!tokens.accepts(authorization.substring(SCHEME.length()).trim())) {
            throw ProblemException.forbidden("The bearer token is not an admin token");
        }
    }
}
