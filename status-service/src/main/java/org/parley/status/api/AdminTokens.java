package org.parley.status.api;

import java.util.Optional;

import org.parley.status.ParleyConfig;
import org.parley.support.http.BearerTokens;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The bearer tokens of operators (parley.admin.tokens, env PARLEY_ADMIN_TOKENS). Reads need none, so a
 * deployment without one still starts: it warns and refuses every admin call. Checked by the shared
 * BearerTokenFilter on the resources marked BearerTokenRequired.
 */
@ApplicationScoped
public class AdminTokens {
    static final BearerTokens.Role ROLE = BearerTokens.Role.privileged("admin");

    @Produces
    @Singleton
    @Startup
    BearerTokens tokens(ParleyConfig config) {
        return of(config.admin().tokens(), config.allowDevelopmentTokens());
    }

    static BearerTokens of(Optional<String> configured, boolean developmentTokensAllowed) {
        return new BearerTokens(ROLE, configured, developmentTokensAllowed);
    }
}
