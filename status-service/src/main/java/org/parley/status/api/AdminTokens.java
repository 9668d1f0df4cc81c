package org.parley.status.api;

import java.util.Arrays;
import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.parley.status.ParleyConfig;
import org.parley.support.http.BearerTokens;
import org.parley.support.http.VerificationKeys;
import org.parley.support.secrets.WeakSecrets;

import io.quarkus.runtime.Startup;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Who may make admin calls: operators with a bearer JWT carrying the role admin, verified as ingest verifies its
 * clients' (quarkus-smallrye-jwt: MP_JWT_VERIFY_PUBLICKEY_LOCATION, MP_JWT_VERIFY_ISSUER), and the static tokens
 * of parley.admin.tokens (env PARLEY_ADMIN_TOKENS), kept as the development shortcut. Reads need neither, so a
 * deployment without either still starts and refuses every admin call. Checked by the shared BearerTokenFilter
 * on the resources marked BearerTokenRequired.
 */
@ApplicationScoped
public class AdminTokens {
    static final BearerTokens.Role ROLE = BearerTokens.Role.privileged("admin");
    private static final Logger LOG = Logger.getLogger(AdminTokens.class);

    @Produces
    @Singleton
    @Startup
    BearerTokens tokens(ParleyConfig config, JWTParser parser) {
        BearerTokens tokens = of(config.admin().tokens(), config.allowDevelopmentTokens());
        weakness(config.admin().tokens(), config.allowDevelopmentTokens()).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        var mp = ConfigProvider.getConfig();
        Optional<String> key = mp.getOptionalValue("mp.jwt.verify.publickey.location", String.class);
        Optional<String> inlineKey = mp.getOptionalValue("mp.jwt.verify.publickey", String.class);
        if (key.isEmpty() && inlineKey.isEmpty()) {
            return tokens;
        }
        // The same refusals as ingest's: the development key, a short RSA key, no issuer (development setups aside).
        VerificationKeys.refusal(key, inlineKey, mp.getOptionalValue("mp.jwt.verify.issuer", String.class),
                config.allowDevelopmentTokens()).ifPresent(problem -> {
                    throw new IllegalStateException(problem);
                });
        LOG.infof("Admin calls accept bearer JWTs with the role %s (key %s)", ROLE.name(), key.orElse("inline"));
        return tokens.orJwts(token -> hasRole(parser, token));
    }

    /** A JWT that verifies (signature, expiry, issuer: mp.jwt.verify.*) and lists the admin role in its groups. */
    static boolean hasRole(JWTParser parser, String token) {
        try {
            JsonWebToken jwt = parser.parse(token);
            boolean admin = jwt.getGroups().contains(ROLE.name());
            LOG.infof("admin JWT of %s: %s", jwt.getName(), admin ? "accepted" : "refused, no role " + ROLE.name());
            return admin;
        } catch (ParseException e) {
            LOG.debugf("admin JWT refused: %s", e.getMessage());
            return false;
        }
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
