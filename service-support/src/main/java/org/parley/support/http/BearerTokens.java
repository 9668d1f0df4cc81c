package org.parley.support.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;

/**
 * The bearer tokens one role accepts (setting {@code parley.<role>.tokens}, env {@code PARLEY_<ROLE>_TOKENS},
 * comma separated). Built at start-up, so that a deployment that accepts the role's published development token
 * ({@code dev-<role>-token}) fails at once unless it says it is a development setup
 * (parley.allow-development-tokens, env PARLEY_ALLOW_DEVELOPMENT_TOKENS; true in the dev and test profiles).
 * Each service produces its one instance as a CDI bean; BearerTokenFilter checks requests against it.
 */
public final class BearerTokens {
    private static final Logger LOG = Logger.getLogger(BearerTokens.class);

    /**
     * Whose tokens these are.
     *
     * @param name the role ("ingest", "admin"); names the setting, the development token and the realm
     * @param required whether a service without a token of this role must not start (nothing it is for would
     *        work), rather than start and refuse the role's calls with 403
     * @param unknownTokenForbidden whether a token that is not of this role is 403 (its holder is known, most
     *        likely with another role's token) rather than 401 invalid_token
     */
    public record Role(String name, boolean required, boolean unknownTokenForbidden) {
        /** Every client of the service holds one: without any the service does not start; unknown is 401. */
        public static Role everyClient(String name) {
            return new Role(name, true, false);
        }

        /** Only some callers hold one (operators): without any those calls are off; a token of another role 403. */
        public static Role privileged(String name) {
            return new Role(name, false, true);
        }

        public String environment() {
            return "PARLEY_" + name.toUpperCase(Locale.ROOT) + "_TOKENS";
        }

        public String property() {
            return "parley." + name + ".tokens";
        }

        public String developmentToken() {
            return "dev-" + name + "-token";
        }

        public String realm() {
            return "parley-" + name;
        }
    }

    private final Role role;
    // Digests have one length, so comparing them in constant time also hides the tokens' lengths.
    private final List<byte[]> digests;
    // Bearer JWTs the service verifies (signature, expiry, issuer) and that carry the role; null: none.
    private final Predicate<String> jwts;

    /** @throws IllegalStateException where the service must not start with this configuration */
    public BearerTokens(Role role, Optional<String> configured, boolean developmentTokensAllowed) {
        this.role = role;
        List<String> tokens = configured.stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(token -> !token.isEmpty())
                .toList();
        if (tokens.isEmpty() && role.required()) {
            throw new IllegalStateException("No " + role.name() + " token is configured, so every call that needs one "
                    + "would be refused: set " + role.environment() + " (" + role.property()
                    + ") to one or more comma-separated bearer tokens");
        }
        boolean development = tokens.contains(role.developmentToken());
        if (development && !developmentTokensAllowed) {
            throw new IllegalStateException("The development " + role.name() + " token " + role.developmentToken()
                    + " is configured: set " + role.environment() + " to secret tokens "
                    + "(or PARLEY_ALLOW_DEVELOPMENT_TOKENS=true on a development machine)");
        }
        if (tokens.isEmpty()) {
            LOG.warnf("No %s token is configured (%s): every call that needs one is refused", role.name(),
                    role.environment());
        } else if (development && LaunchMode.current() == LaunchMode.NORMAL) {
            LOG.warnf("The development %s token is accepted; set %s to a secret for real use", role.name(),
                    role.environment());
        }
        this.digests = tokens.stream().map(BearerTokens::digest).toList();
        this.jwts = null;
    }

    private BearerTokens(Role role, List<byte[]> digests, Predicate<String> jwts) {
        this.role = role;
        this.digests = digests;
        this.jwts = jwts;
    }

    /** These tokens, and also the bearer JWTs {@code verifier} accepts (verified, and carrying the role). */
    public BearerTokens orJwts(Predicate<String> verifier) {
        return new BearerTokens(role, digests, verifier);
    }

    public Role role() {
        return role;
    }

    public boolean configured() {
        return !digests.isEmpty() || jwts != null;
    }

    /** Constant time in the presented token: every configured token is compared, without an early exit. */
    public boolean accepts(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] candidate = digest(presented);
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, candidate);
        }
        // A JWT has three dot-separated parts; a static token is compared above whatever it looks like.
        return match || (jwts != null && presented.chars().filter(c -> c == '.').count() == 2 && jwts.test(presented));
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
