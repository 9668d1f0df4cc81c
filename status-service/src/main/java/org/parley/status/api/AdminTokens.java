package org.parley.status.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

import org.jboss.logging.Logger;
import org.parley.status.ParleyConfig;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The bearer tokens of operators (parley.admin.tokens, env PARLEY_ADMIN_TOKENS, comma separated). Reads need
 * none, so a deployment without one still starts: it warns and refuses every admin call.
 */
@ApplicationScoped
@Startup
public class AdminTokens {
    static final String DEV_TOKEN = "dev-admin-token";
    private static final Logger LOG = Logger.getLogger(AdminTokens.class);

    // Digests have one length, so comparing them in constant time also hides the tokens' lengths.
    private final List<byte[]> digests;

    @Inject
    public AdminTokens(ParleyConfig config) {
        List<String> tokens = config.admin().tokens().stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(token -> !token.isEmpty())
                .toList();
        if (tokens.isEmpty()) {
            LOG.warn("No admin token is configured (PARLEY_ADMIN_TOKENS): every /admin call is refused");
        } else if (tokens.contains(DEV_TOKEN) && LaunchMode.current() == LaunchMode.NORMAL) {
            LOG.warn("The development admin token is accepted; set PARLEY_ADMIN_TOKENS to a secret for real use");
        }
        this.digests = tokens.stream().map(AdminTokens::digest).toList();
    }

    public boolean configured() {
        return !digests.isEmpty();
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
