package org.parley.status.api;

import java.util.Arrays;
import java.util.Optional;

import org.parley.status.ParleyConfig;
import org.parley.support.http.BearerTokens;
import org.parley.support.secrets.WeakSecrets;

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
        BearerTokens tokens = of(config.admin().tokens(), config.allowDevelopmentTokens());
        weakness(config.admin().tokens(), config.allowDevelopmentTokens()).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        return tokens;
    }

    /** Why a production start must not accept these tokens: a placeholder or a short one (development setups say so). */
    static Optional<String> weakness(Optional<String> configured, boolean developmentTokensAllowed) {
        if (developmentTokensAllowed || configured.isEmpty()) {
            return Optional.empty();
        }
        return Arrays.stream(configured.get().split(",")).map(String::trim).filter(token -> !token.isEmpty())
                .map(token -> WeakSecrets.problem("A token of PARLEY_ADMIN_TOKENS", token)).flatMap(Optional::stream)
                .findFirst();
    }

    static BearerTokens of(Optional<String> configured, boolean developmentTokensAllowed) {
        return new BearerTokens(ROLE, configured, developmentTokensAllowed);
    }
}
