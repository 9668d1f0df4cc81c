package org.parley.support.http;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Lets a {@link BearerTokenRequired} call through only with one of the service's {@link BearerTokens}; runs
 * before the body is read. No or a malformed Authorization header is 401 with the challenge; an unknown token
 * 401 invalid_token, or 403 for a privileged role; every call 403 while a privileged role has no token.
 */
@Provider
@BearerTokenRequired
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {
    private static final String SCHEME = "Bearer ";

    // Looked up on first use: the framework creates its filters before runtime configuration is available,
    // and the service's token set is built from it (at start-up, since the services make it @Startup).
    @Inject
    Instance<BearerTokens> configured;
    private volatile BearerTokens tokens;

    @Override
    public void filter(ContainerRequestContext request) {
        BearerTokens tokens = tokens();
        BearerTokens.Role role = tokens.role();
        if (!tokens.configured()) {
            throw ProblemException.forbidden("No " + role.name() + " token is configured (" + role.environment()
                    + "): these calls are off");
        }
        String challenge = "Bearer realm=\"" + role.realm() + "\"";
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            throw ProblemException.unauthorized("This call needs an Authorization: Bearer <token> header", challenge);
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || authorization.substring(SCHEME.length()).isBlank()) {
            throw ProblemException.unauthorized("The Authorization header must use the Bearer scheme: Bearer <token>",
                    challenge);
        }
        if (!tokens.accepts(authorization.substring(SCHEME.length()).trim())) {
            throw role.unknownTokenForbidden()
                    ? ProblemException.forbidden("The bearer token is not one of the " + role.name() + " tokens")
                    : ProblemException.unauthorized("The bearer token is not known", challenge + ", error=\"invalid_token\"");
        }
    }

    private BearerTokens tokens() {
        BearerTokens known = tokens;
        if (known == null) {
            tokens = known = configured.get();
        }
        return known;
    }
}
