package org.parley.ingest.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.parley.ingest.ParleyConfig;
import org.parley.support.http.VerificationKeys;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a deployment whose bearer tokens could be forged ({@link VerificationKeys}). Development
 * setups say they are (parley.allow-development-tokens, env PARLEY_ALLOW_DEVELOPMENT_TOKENS).
 */
@ApplicationScoped
public class VerificationKeyCheck {
    private static final Logger LOG = Logger.getLogger(VerificationKeyCheck.class);

    @Inject
    ParleyConfig parley;

    void onStart(@Observes StartupEvent start) {
        // The mp.jwt.* settings are smallrye-jwt's own: read, not bound, here.
        var config = ConfigProvider.getConfig();
        boolean development = parley.allowDevelopmentTokens();
        Optional<String> refusal = VerificationKeys.refusal(config.getOptionalValue("mp.jwt.verify.publickey.location", String.class),
                config.getOptionalValue("mp.jwt.verify.publickey", String.class),
                config.getOptionalValue("mp.jwt.verify.issuer", String.class), development);
        if (refusal.isPresent()) {
            throw new IllegalStateException(refusal.get());
        }
        if (development && LaunchMode.current() == LaunchMode.NORMAL) {
            LOG.warn("Development bearer tokens are accepted (PARLEY_ALLOW_DEVELOPMENT_TOKENS=true): not for real use");
        }
    }
}
