package org.parley.ingest.api;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.parley.support.http.ProblemException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * 401 and 403 as problem+json. Authentication is not proactive (quarkus.http.auth.proactive=false), so its
 * failures reach these mappers instead of leaving as an empty framework answer.
 */
public class AuthProblems {
    static final String CHALLENGE = "Bearer realm=\"parley-ingest\"";
    private static final String SCHEME = "Bearer ";

    /** A bearer token that does not verify: bad signature, expired, wrong issuer, not a JWT. */
    @ServerExceptionMapper
    public Response invalid(AuthenticationFailedException e) {
        return ProblemException.unauthorized("The bearer token is not known", CHALLENGE + ", error=\"invalid_token\"")
                .toResponse();
    }

    /** No bearer token at all (another scheme counts as none). */
    @ServerExceptionMapper
    public Response anonymous(UnauthorizedException e, HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return ProblemException.unauthorized("This call needs an Authorization: Bearer <token> header", CHALLENGE)
                    .toResponse();
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return ProblemException.unauthorized("The Authorization header must use the Bearer scheme: Bearer <token>",
                    CHALLENGE).toResponse();
        }
        return ProblemException.unauthorized("The bearer token is not known", CHALLENGE + ", error=\"invalid_token\"")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return ProblemException.forbidden("This client's token does not allow this call").toResponse();
    }
}
