package org.parley.ingest.security;

import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.parley.ingest.ParleyConfig;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * smallrye-jwt's parser with a memory: a client sends the same bearer token with every POST, and checking its
 * RSA signature and reading its claims each time was a large share of a single POST's CPU. A token that
 * verified is taken as verified again, by its exact text, until its exp or for parley.token-cache.max-age,
 * whichever comes first (the bound on how long a rotated-out key keeps working for a token it signed). What
 * fails to verify is never kept. At most parley.token-cache.size tokens are kept.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens extends DefaultJWTParser {

    private record Verified(JsonWebToken token, long untilMillis) {
    }

    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    @Inject
    ParleyConfig config;

    VerifiedTokens() {
    }

    /** Outside the container (tests): this verification context and these settings. */
    VerifiedTokens(JWTAuthContextInfo context, ParleyConfig config) {
        super(context);
        this.config = config;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        long now = System.currentTimeMillis();
        Verified known = verified.get(token);
        if (known != null && now < known.untilMillis()) {
            return known.token();
        }
        JsonWebToken parsed = super.parse(token); // throws when it does not verify
        long until = Math.min(now + config.tokenCache().maxAge().toMillis(), parsed.getExpirationTime() * 1000);
        if (until > now) {
            if (verified.size() >= config.tokenCache().size()) {
                verified.values().removeIf(entry -> entry.untilMillis() <= now);
                if (verified.size() >= config.tokenCache().size()) {
                    verified.clear(); // a burst of distinct tokens: start over rather than grow
                }
            }
            verified.put(token, new Verified(parsed, until));
        } else {
            verified.remove(token);
        }
        return parsed;
    }
}
