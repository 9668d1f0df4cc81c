package org.parley.ingest.api;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/** Lets a write through only with a configured bearer token; runs before the body is read. */
@Provider
@BearerTokenRequired
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {
    private static final String SCHEME = "Bearer ";
    private static final String CHALLENGE = "Bearer realm=\"parley-ingest\"";

    @Inject
    IngestTokens tokens;

    @Override
    public void filter(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            throw ProblemException.unauthorized("Writes need an Authorization: Bearer <token> header", CHALLENGE);
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw ProblemException.unauthorized("The Authorization header must use the Bearer scheme", CHALLENGE);
        }
        if (!tokens.accepts(authorization.substring(SCHEME.length()).trim())) {
            throw ProblemException.unauthorized("The bearer token is not known",
                    CHALLENGE + ", error=\"invalid_token\"");
        }
    }
}
