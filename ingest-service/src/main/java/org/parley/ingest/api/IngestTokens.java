package org.parley.ingest.api;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.parley.support.http.BearerTokens;

import io.quarkus.runtime.Startup;

/**
 * The bearer tokens allowed to write (parley.ingest.tokens, env PARLEY_INGEST_TOKENS): every client holds one,
 * so a deployment without any fails at start instead of rejecting every write. Checked by the shared
 * BearerTokenFilter on the resources marked BearerTokenRequired.
 */
@ApplicationScoped
public class IngestTokens {
    static final BearerTokens.Role ROLE = BearerTokens.Role.everyClient("ingest");

    @Produces
    @Singleton
    @Startup
    BearerTokens tokens(@ConfigProperty(name = "parley.ingest.tokens") Optional<String> configured,
            @ConfigProperty(name = "parley.allow-development-tokens") boolean developmentTokensAllowed) {
        return of(configured, developmentTokensAllowed);
    }

    static BearerTokens of(Optional<String> configured, boolean developmentTokensAllowed) {
        return new BearerTokens(ROLE, configured, developmentTokensAllowed);
    }
}
