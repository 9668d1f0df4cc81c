package org.parley.ingest.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;

/**
 * The bearer tokens allowed to write (parley.ingest.tokens, env PARLEY_INGEST_TOKENS, comma separated).
 * Built at start-up so that a deployment without a token fails at once instead of rejecting every write, and
 * one that still accepts the published development token fails too unless it says it is a development setup
 * (parley.allow-development-tokens, env PARLEY_ALLOW_DEVELOPMENT_TOKENS; true in the dev and test profiles).
 */
@ApplicationScoped
@Startup
public class IngestTokens {
    static final String DEV_TOKEN = "dev-ingest-token";
    private static final Logger LOG = Logger.getLogger(IngestTokens.class);

    // Digests have one length, so comparing them in constant time also hides the tokens' lengths.
    private final List<byte[]> digests;

    @Inject
    public IngestTokens(@ConfigProperty(name = "parley.ingest.tokens") Optional<String> configured,
            @ConfigProperty(name = "parley.allow-development-tokens") boolean developmentTokensAllowed) {
        List<String> tokens = configured.stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(token -> !token.isEmpty())
                .toList();
        if (tokens.isEmpty()) {
            throw new IllegalStateException("No ingest token is configured, so no client could write: set "
                    + "PARLEY_INGEST_TOKENS (parley.ingest.tokens) to one or more comma-separated bearer tokens");
        }
        if (tokens.contains(DEV_TOKEN) && !developmentTokensAllowed) {
            throw new IllegalStateException("The development ingest token " + DEV_TOKEN + " is configured: set "
                    + "PARLEY_INGEST_TOKENS to secret tokens (or PARLEY_ALLOW_DEVELOPMENT_TOKENS=true on a development machine)");
        }
        if (tokens.contains(DEV_TOKEN) && LaunchMode.current() == LaunchMode.NORMAL) {
            LOG.warn("The development ingest token is accepted; set PARLEY_INGEST_TOKENS to a secret for real use");
        }
        this.digests = tokens.stream().map(IngestTokens::digest).toList();
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
        return match;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
